package org.brski.server.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;
import org.brski.pkix.TextNames;
import org.brski.server.ServerException;
import org.brski.voucher.Voucher;
import org.brski.voucher.VoucherCms;
import org.brski.voucher.VoucherException;
import org.brski.voucher.VoucherJson;
import org.brski.voucher.cms.CmsInput;

/**
 * Which peer dialect a service accepts besides RFC 8995 as written. One value per service, set at start
 * ({@code compat: nqminds} in YAML, {@code --compat nqminds} on {@code serve}); every decision the dialect touches is a
 * method here, so handlers and cores ask the value instead of testing the switch themselves.
 *
 * <ul>
 *   <li>{@link #NONE} (the default): voucher-request and voucher bodies are binary DER (RFC 8995 section 6),
 *       voucher-requests use the {@code ietf-voucher-request:voucher} root (section 3), vouchers carry
 *       {@code created-on} (RFC 8366); each deviation is refused with a 400 problem that names it and the switch.</li>
 *   <li>{@link #NQMINDS}: the dialect of nqminds brski (C): base64 bodies (line breaks and PEM armour tolerated, the
 *       {@code Content-Transfer-Encoding} header is not needed), voucher-requests under the
 *       {@code ietf-voucher:voucher} root, MASA vouchers without {@code created-on} and with both {@code nonce} and
 *       {@code expires-on}, answered as {@code text/plain}, an {@code idevid-issuer} holding the issuer DN as text,
 *       and an empty probe POST before the real voucher-request. Signatures, chains, nonce, serial-number and proximity are
 *       checked exactly as in {@link #NONE}. Its enrollment, a self-signed certificate instead of a PKCS#10 CSR, is
 *       accepted on {@code /simpleenroll} ({@link #acceptsCertificateEnrollment()}).</li>
 * </ul>
 */
public enum Compat {
    /** RFC 8995 as written. */
    NONE("none"),
    /** The nqminds brski dialect (see the class documentation). */
    NQMINDS("nqminds");

    /** The values {@link #parse} accepts, for error messages. */
    public static final String CHOICES = "none or nqminds";

    private static final JsonFactory JSON = new JsonFactory();

    private final String configName;

    Compat(String configName) {
        this.configName = configName;
    }

    /** The name used in configuration files and on the command line. */
    public String configName() {
        return configName;
    }

    /**
     * The value named {@code value}: {@code none} or {@code nqminds} (also {@code nqminds-compat}), case-insensitive;
     * null or blank is {@link #NONE}.
     *
     * @throws IllegalArgumentException for any other name
     */
    public static Compat parse(String value) {
        if (value == null || value.isBlank()) {
            return NONE;
        }
        String name = value.trim().toLowerCase(Locale.ROOT);
        return switch (name) {
            case "none" -> NONE;
            case "nqminds", "nqminds-compat" -> NQMINDS;
            default -> throw new IllegalArgumentException("compat must be " + CHOICES + ", not '"
                    + (name.length() > 32 ? name.substring(0, 32) + "..." : name) + "'");
        };
    }

    /**
     * A voucher or voucher-request body as DER, and whether it arrived as text (base64 or PEM).
     *
     * @param der  the CMS ContentInfo
     * @param text whether the body was text; the nqminds dialect expects the answer in the same form
     */
    public record CmsBody(byte[] der, boolean text) {
        public CmsBody {
            der = der.clone();
        }

        @Override
        public byte[] der() {
            return der.clone();
        }
    }

    /**
     * Decodes an {@code application/voucher-cms+json} body. Binary DER is always accepted; base64 (with or without
     * line breaks) and PEM only with {@link #NQMINDS}.
     *
     * @throws VoucherException MALFORMED_CMS when the body is none of these (empty included)
     * @throws ServerException  400 {@code base64-body} when the body is text and this is {@link #NONE}
     */
    public CmsBody voucherBody(byte[] body) throws VoucherException, ServerException {
        byte[] der = CmsInput.decode(body);
        boolean text = !Arrays.equals(der, body);
        if (text && this == NONE) {
            throw ServerException.badRequest("base64-body", "base64 body: binary DER is required (RFC 8995 section 6)"
                    + " unless compat nqminds is enabled");
        }
        return new CmsBody(der, text);
    }

    /**
     * An answer in the form of the request it answers: {@code raw} (whose decoded form is {@code answer}) byte for
     * byte when it already has the request's form, else the same DER re-encoded: base64 on one line, as nqminds brski
     * writes it, for a text request, binary for a binary one. With {@link #NONE} both are binary and {@code raw} is
     * returned.
     */
    public byte[] inFormOf(CmsBody request, CmsBody answer, byte[] raw) {
        if (answer.text() == request.text()) {
            return raw.clone();
        }
        return request.text() ? Base64.getEncoder().encode(answer.der) : answer.der();
    }

    /**
     * The parser for received voucher-requests: with {@link #NQMINDS} {@link VoucherJson#lenient()}, which accepts the
     * {@code ietf-voucher:voucher} root; otherwise the configured mode.
     */
    public VoucherJson requestParser(boolean lenientJson) {
        return this == NQMINDS || lenientJson ? VoucherJson.lenient() : VoucherJson.strict();
    }

    /**
     * Refuses, with {@link #NONE}, a voucher-request under the {@code ietf-voucher:voucher} root, also when lenient
     * JSON is configured. Malformed JSON passes: the parser reports it.
     *
     * @throws ServerException 400 {@code request-root}
     */
    public void checkRequestRoot(byte[] json) throws ServerException {
        if (this == NQMINDS || !Voucher.ROOT.equals(firstMember(json))) {
            return;
        }
        throw ServerException.badRequest("request-root", "voucher-request under the '" + Voucher.ROOT
                + "' root: 'ietf-voucher-request:voucher' is required (RFC 8995 section 3) unless compat nqminds is"
                + " enabled");
    }

    /**
     * Refuses, with {@link #NONE}, a voucher without {@code created-on} (mandatory in RFC 8366).
     *
     * @throws ServerException 400 {@code created-on-missing}
     */
    public void checkVoucherCreatedOn(Voucher voucher) throws ServerException {
        if (this == NONE && voucher.createdOn().isEmpty()) {
            throw ServerException.badRequest("created-on-missing", "voucher without created-on: RFC 8366 requires it"
                    + " unless compat nqminds is enabled");
        }
    }

    /**
     * Refuses, with {@link #NONE}, a voucher carrying both {@code nonce} and {@code expires-on} (RFC 8366 section 5.3:
     * "must not(../nonce)"); the nqminds MASA writes both, a fixed expires-on next to the nonce.
     *
     * @throws ServerException 400 {@code nonce-and-expires-on}
     */
    public void checkVoucherFreshness(Voucher voucher) throws ServerException {
        if (this == NONE && voucher.nonce().isPresent() && voucher.expiresOn().isPresent()) {
            throw ServerException.badRequest("nonce-and-expires-on", "voucher with both nonce and expires-on: RFC 8366"
                    + " allows one of them unless compat nqminds is enabled");
        }
    }

    /**
     * Whether {@code idevidIssuer}, received in a registrar voucher-request, names {@code issuer} in the nqminds form:
     * the bytes of a text DN such as {@code C = IE, CN = idevca} (compared by attribute values, {@link TextNames}).
     * Always false with {@link #NONE}: RFC 8995 section 5.5 sends the issuer's key identifier.
     */
    public boolean idevidIssuerNames(byte[] idevidIssuer, X500Principal issuer) {
        if (this == NONE || idevidIssuer.length == 0 || idevidIssuer.length > 1024) {
            return false;
        }
        String text = new String(idevidIssuer, StandardCharsets.UTF_8);
        if (text.chars().anyMatch(c -> Character.isISOControl(c) || c == '\uFFFD')) {
            return false; // a key identifier (binary), or text that is not UTF-8
        }
        return TextNames.matches(text, issuer);
    }

    /**
     * The {@code idevid-issuer} a registrar sends about an IDevID issued by {@code issuer} whose authority key
     * identifier is {@code keyIdentifier}: that key identifier (RFC 8995 section 5.5), or with {@link #NQMINDS} the
     * issuer DN as OpenSSL prints it, as nqminds brski sends it. Empty when there is nothing to send.
     */
    public Optional<byte[]> idevidIssuer(X500Principal issuer, Optional<byte[]> keyIdentifier) {
        if (this == NQMINDS) {
            return Optional.of(TextNames.oneLine(issuer).getBytes(StandardCharsets.UTF_8));
        }
        return keyIdentifier;
    }

    /** The media types accepted on a MASA's voucher answer: nqminds brski labels it {@code text/plain}. */
    public List<String> voucherResponseTypes(String standard) {
        return this == NQMINDS ? List.of(standard, "text/plain") : List.of(standard);
    }

    /**
     * Whether an empty voucher-request POST is the nqminds pledge's probe (it posts nothing to learn the registrar's
     * TLS certificate, and ignores the answer) rather than a failed attempt.
     */
    public boolean isProbe(byte[] body) {
        return this == NQMINDS && body.length == 0;
    }

    /**
     * The media types accepted on {@code /simpleenroll}: nqminds brski labels its enrollment request (a self-signed
     * certificate, not a PKCS#10 CSR) {@code application/voucher-cms+json}.
     */
    public List<String> enrollRequestTypes(String standard) {
        return this == NQMINDS ? List.of(standard, VoucherCms.MEDIA_TYPE) : List.of(standard);
    }

    /**
     * Whether {@code /simpleenroll} accepts, instead of a PKCS#10 CSR, the self-signed certificate nqminds brski sends
     * (proof of possession by its self-signature), and answers it as nqminds expects: the certificate as one line of
     * base64, {@code text/plain}.
     */
    public boolean acceptsCertificateEnrollment() {
        return this == NQMINDS;
    }

    private static String firstMember(byte[] json) {
        try (JsonParser parser = JSON.createParser(json)) {
            if (parser.nextToken() == JsonToken.START_OBJECT && parser.nextToken() == JsonToken.FIELD_NAME) {
                return parser.currentName();
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    @Override
    public String toString() {
        return configName;
    }
}
