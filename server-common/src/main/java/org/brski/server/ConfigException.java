package org.brski.server;

import java.util.Optional;
import org.brski.voucher.Problem;

/**
 * A configuration that cannot be used, naming the offending key (e.g. {@code server.tls.cert}) so that the operator
 * can fix it. Raised at start-up; its problem is a generic 500 that never reaches a peer in practice.
 */
public class ConfigException extends ServerException {
    private static final long serialVersionUID = 1L;
    private static final Problem PROBLEM =
            Problem.of("misconfigured", "Server misconfigured", 500, "the server configuration is invalid");

    private final String key;

    /** A configuration error about {@code key} (dotted path, may be null when no single key is to blame). */
    public ConfigException(String key, String message) {
        this(key, message, null);
    }

    public ConfigException(String key, String message, Throwable cause) {
        super(PROBLEM, key == null ? message : key + ": " + message, cause);
        this.key = key;
    }

    /** The dotted configuration key at fault, if one is. */
    public Optional<String> key() {
        return Optional.ofNullable(key);
    }
}
