package org.brski.server.tls;

import java.security.MessageDigest;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLEngine;
import org.bouncycastle.jsse.BCSSLEngine;

/**
 * The TLS channel binding of one connection, as EST proof-of-possession linking uses it (RFC 7030 section 3.5): on
 * TLS 1.2 {@code tls-unique} (RFC 5929), on TLS 1.3, where tls-unique is undefined, {@code tls-exporter} (RFC 9266:
 * exporter label "EXPORTER-Channel-Binding", empty context, 32 bytes).
 *
 * @param type  {@value #TLS_UNIQUE} or {@value #TLS_EXPORTER}
 * @param value the binding's bytes
 */
public record ChannelBinding(String type, byte[] value) {
    /** RFC 5929 section 3: the first Finished message of the most recent handshake (TLS 1.2). */
    public static final String TLS_UNIQUE = "tls-unique";
    /** RFC 9266 section 2: TLS-Exporter("EXPORTER-Channel-Binding", "", 32) (TLS 1.3). */
    public static final String TLS_EXPORTER = "tls-exporter";

    public ChannelBinding {
        Objects.requireNonNull(type, "type");
        value = value.clone();
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    /** Whether {@code candidate} is this binding's value (constant time). */
    public boolean matches(byte[] candidate) {
        return MessageDigest.isEqual(value, candidate);
    }

    /** The channel binding type RFC 7030 3.5 (with RFC 9266 for TLS 1.3) uses on {@code protocol}, e.g. "TLSv1.3". */
    public static String typeFor(String protocol) {
        return "TLSv1.3".equals(protocol) ? TLS_EXPORTER : TLS_UNIQUE;
    }

    /**
     * The binding of the connection {@code engine} carries, when its TLS implementation exposes one: Bouncy Castle's
     * JSSE does ({@code BCSSLConnection.getChannelBinding}); the JDK's SunJSSE has no API for either binding on Java 17,
     * so there the answer is empty.
     */
    public static Optional<ChannelBinding> of(SSLEngine engine) {
        if (!(engine instanceof BCSSLEngine bc) || bc.getConnection() == null) {
            return Optional.empty();
        }
        String type = typeFor(engine.getSession().getProtocol());
        byte[] value;
        try {
            value = bc.getConnection().getChannelBinding(type);
        } catch (RuntimeException e) {
            return Optional.empty(); // not available on this connection (e.g. tls-unique without a full handshake)
        }
        return value == null ? Optional.empty() : Optional.of(new ChannelBinding(type, value));
    }

    @Override
    public String toString() {
        return "ChannelBinding[" + type + ", " + value.length + " bytes]";
    }
}
