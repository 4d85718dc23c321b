package org.brski.voucher;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.brski.voucher.VoucherException.Reason;

/**
 * JSON encoding of vouchers (RFC 8366) and voucher-requests (RFC 8995 section 3) per RFC 7951: dates are RFC 3339
 * {@code date-and-time} strings (written in whole seconds, {@link Rfc3339}; read with fractions and offsets), binary
 * leaves are standard base64 (RFC 4648 section 4), the root member is
 * module-qualified.
 *
 * <p>{@link #strict()} is the default for everything we receive: unknown leaves, missing mandatory leaves, PEM
 * armour or line breaks in binary leaves and dates without a time are refused, each with a message that names the
 * leaf. {@link #lenient()} interoperates with older peers: it keeps unknown leaves, accepts a voucher without
 * {@code created-on}, a voucher with both {@code nonce} and {@code expires-on}, a date without time (as midnight UTC),
 * whitespace inside base64, and a voucher-request under the {@code ietf-voucher:voucher} root. Both modes bound the
 * input size and nesting depth. Instances are immutable and thread-safe.
 */
public final class VoucherJson {
    /** Default input bound: RFC 8995 artifacts are a few KiB. */
    public static final int DEFAULT_MAX_BYTES = 64 * 1024;
    /** Default nesting bound; a voucher needs two levels. */
    public static final int DEFAULT_MAX_DEPTH = 16;

    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ISO_OFFSET_DATE_TIME; // parsing only
    private static final Pattern DATE_AND_TIME =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?([Zz]|[+-]\\d{2}:\\d{2})");
    private static final Pattern DATE_ONLY = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]*={0,2}");
    private static final Set<String> IGNORED_IN_REQUEST =
            Set.of("pinned-domain-cert", "last-renewal-date", "domain-cert-revocation-checks");

    private static final ObjectMapper WRITER = new ObjectMapper();

    private final boolean lenient;
    private final int maxBytes;
    private final int maxDepth;
    private final ObjectMapper mapper;

    private VoucherJson(boolean lenient, int maxBytes, int maxDepth) {
        if (maxBytes < 1 || maxDepth < 2) {
            throw new IllegalArgumentException("maxBytes must be positive and maxDepth at least 2");
        }
        this.lenient = lenient;
        this.maxBytes = maxBytes;
        this.maxDepth = maxDepth;
        this.mapper = StrictJson.mapper(maxDepth);
    }

    /** Strict parsing, the default for received artifacts. */
    public static VoucherJson strict() {
        return new VoucherJson(false, DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH);
    }

    /** Lenient parsing for interoperating with peers that deviate from the YANG modules (see class doc). */
    public static VoucherJson lenient() {
        return new VoucherJson(true, DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH);
    }

    /** The same mode with another input size bound. */
    public VoucherJson withMaxBytes(int bytes) {
        return new VoucherJson(lenient, bytes, maxDepth);
    }

    /** The same mode with another nesting depth bound. */
    public VoucherJson withMaxDepth(int depth) {
        return new VoucherJson(lenient, maxBytes, depth);
    }

    public boolean isLenient() {
        return lenient;
    }

    /** Parses an {@code ietf-voucher:voucher} document. */
    public Voucher parseVoucher(byte[] json) throws VoucherException {
        Leaves leaves = new Leaves(root(json, Voucher.ROOT, false));
        Voucher.Builder b = Voucher.builder();
        for (String name : leaves.names()) {
            if (readCommonLeaf(name, leaves, b)) {
                continue;
            }
            switch (name) {
                case "pinned-domain-cert" -> b.pinnedDomainCert(leaves.binary(name));
                case "domain-cert-revocation-checks" -> b.domainCertRevocationChecks(leaves.bool(name));
                case "last-renewal-date" -> b.lastRenewalDate(leaves.date(name));
                default -> b.unknownLeaf(name, leaves.unknown(name));
            }
        }
        leaves.require("assertion", "serial-number", "pinned-domain-cert");
        if (!lenient) {
            leaves.require("created-on");
        }
        if (leaves.node.has("nonce") && leaves.node.has("expires-on")) {
            if (!lenient) {
                throw new VoucherException(Reason.INVALID_LEAF, "a voucher carries nonce or expires-on, not both"
                        + " (lenient mode accepts both)");
            }
            b.allowNonceWithExpiry();
        }
        if (leaves.node.has("last-renewal-date") && !leaves.node.has("expires-on")) {
            throw new VoucherException(Reason.INVALID_LEAF, "last-renewal-date requires expires-on");
        }
        return b.build();
    }

    /** Parses an {@code ietf-voucher-request:voucher} document. */
    public VoucherRequest parseVoucherRequest(byte[] json) throws VoucherException {
        Leaves leaves = new Leaves(root(json, VoucherRequest.ROOT, lenient));
        VoucherRequest.Builder b = VoucherRequest.builder();
        for (String name : leaves.names()) {
            if (readCommonLeaf(name, leaves, b)) {
                continue;
            }
            switch (name) {
                case "prior-signed-voucher-request" -> b.priorSignedVoucherRequest(leaves.binary(name));
                case "proximity-registrar-cert" -> b.proximityRegistrarCert(leaves.binary(name));
                default -> {
                    if (!IGNORED_IN_REQUEST.contains(name)) {
                        b.unknownLeaf(name, leaves.unknown(name));
                    }
                }
            }
        }
        leaves.require("serial-number");
        return b.build();
    }

    /** Reads a leaf both artifacts define; false when {@code name} is not one of them. */
    private static boolean readCommonLeaf(String name, Leaves leaves, CommonLeaves<?> b) throws VoucherException {
        switch (name) {
            case "created-on" -> b.createdOn(leaves.date(name));
            case "expires-on" -> b.expiresOn(leaves.date(name));
            case "assertion" -> b.assertion(leaves.assertion(name));
            case "serial-number" -> b.serialNumber(leaves.text(name));
            case "idevid-issuer" -> b.idevidIssuer(leaves.binary(name));
            case "nonce" -> b.nonce(leaves.text(name));
            default -> {
                return false;
            }
        }
        return true;
    }

    /** Compact JSON of a voucher, leaves in the order of RFC 8995 Appendix C. */
    public static byte[] toJson(Voucher v) {
        ObjectNode leaves = JsonNodeFactory.instance.objectNode();
        leaves.put("assertion", v.assertion().yangName());
        v.createdOn().ifPresent(d -> leaves.put("created-on", Rfc3339.format(d)));
        v.expiresOn().ifPresent(d -> leaves.put("expires-on", Rfc3339.format(d)));
        leaves.put("serial-number", v.serialNumber());
        v.nonce().ifPresent(n -> leaves.put("nonce", n));
        v.idevidIssuer().ifPresent(i -> leaves.put("idevid-issuer", base64(i)));
        leaves.put("pinned-domain-cert", base64(v.pinnedDomainCert()));
        v.domainCertRevocationChecks().ifPresent(c -> leaves.put("domain-cert-revocation-checks", c));
        v.lastRenewalDate().ifPresent(d -> leaves.put("last-renewal-date", Rfc3339.format(d)));
        return document(Voucher.ROOT, leaves, v.unknownLeaves());
    }

    /** Compact JSON of a voucher-request, leaves in the order of RFC 8995 Appendix C. */
    public static byte[] toJson(VoucherRequest r) {
        ObjectNode leaves = JsonNodeFactory.instance.objectNode();
        r.assertion().ifPresent(a -> leaves.put("assertion", a.yangName()));
        r.createdOn().ifPresent(d -> leaves.put("created-on", Rfc3339.format(d)));
        r.expiresOn().ifPresent(d -> leaves.put("expires-on", Rfc3339.format(d)));
        leaves.put("serial-number", r.serialNumber());
        r.nonce().ifPresent(n -> leaves.put("nonce", n));
        r.idevidIssuer().ifPresent(i -> leaves.put("idevid-issuer", base64(i)));
        r.priorSignedVoucherRequest().ifPresent(p -> leaves.put("prior-signed-voucher-request", base64(p)));
        r.proximityRegistrarCert().ifPresent(p -> leaves.put("proximity-registrar-cert", base64(p)));
        return document(VoucherRequest.ROOT, leaves, r.unknownLeaves());
    }

    /**
     * A voucher-request under the {@code ietf-voucher:voucher} root, the form nqminds brski writes and is the only one
     * it reads: the leaves in the order of the {@code ietf-voucher} grouping (created-on, expires-on, assertion,
     * serial-number, idevid-issuer, domain-cert-revocation-checks, nonce, then prior-signed-voucher-request and
     * proximity-registrar-cert), {@code domain-cert-revocation-checks} written as {@code false} as that peer always
     * writes it (RFC 8995 section 3.4: ignored in a request), unknown leaves left out (that peer refuses them).
     */
    public static byte[] toVoucherRootJson(VoucherRequest r) {
        ObjectNode leaves = JsonNodeFactory.instance.objectNode();
        r.createdOn().ifPresent(d -> leaves.put("created-on", Rfc3339.format(d)));
        r.expiresOn().ifPresent(d -> leaves.put("expires-on", Rfc3339.format(d)));
        r.assertion().ifPresent(a -> leaves.put("assertion", a.yangName()));
        leaves.put("serial-number", r.serialNumber());
        r.idevidIssuer().ifPresent(i -> leaves.put("idevid-issuer", base64(i)));
        leaves.put("domain-cert-revocation-checks", false);
        r.nonce().ifPresent(n -> leaves.put("nonce", n));
        r.priorSignedVoucherRequest().ifPresent(p -> leaves.put("prior-signed-voucher-request", base64(p)));
        r.proximityRegistrarCert().ifPresent(p -> leaves.put("proximity-registrar-cert", base64(p)));
        return document(Voucher.ROOT, leaves, Map.of());
    }

    private static byte[] document(String root, ObjectNode leaves, Map<String, String> unknown) {
        for (Map.Entry<String, String> e : unknown.entrySet()) {
            try {
                leaves.set(e.getKey(), WRITER.readTree(e.getValue()));
            } catch (JsonProcessingException ex) {
                throw new IllegalStateException("unknown leaf " + e.getKey() + " holds invalid JSON", ex);
            }
        }
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        doc.set(root, leaves);
        return doc.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String base64(byte[] value) {
        return Base64.getEncoder().encodeToString(value);
    }

    /** Parses the document and returns the object under its single root member. */
    private ObjectNode root(byte[] json, String expectedRoot, boolean acceptVoucherRoot) throws VoucherException {
        if (json.length > maxBytes) {
            throw new VoucherException(Reason.TOO_LARGE,
                    "JSON of " + json.length + " bytes exceeds the limit of " + maxBytes + " bytes");
        }
        JsonNode doc;
        try {
            doc = mapper.readTree(json);
        } catch (StreamConstraintsException e) {
            String limit = String.valueOf(e.getOriginalMessage());
            throw new VoucherException(Reason.MALFORMED_JSON, limit.contains("nesting depth")
                    ? "JSON nested deeper than " + maxDepth + " levels"
                    : "JSON exceeds a parser limit: " + StrictJson.describe(e), e);
        } catch (JsonProcessingException e) {
            throw new VoucherException(Reason.MALFORMED_JSON, "not well-formed JSON: " + StrictJson.describe(e), e);
        } catch (IOException e) {
            throw new VoucherException(Reason.MALFORMED_JSON, "not well-formed JSON: unreadable", e);
        }
        if (doc == null || !doc.isObject()) {
            throw new VoucherException(Reason.MALFORMED_JSON, "JSON document is not an object");
        }
        if (doc.size() != 1) {
            throw new VoucherException(Reason.WRONG_ROOT,
                    "expected exactly one member '" + expectedRoot + "', found " + doc.size());
        }
        String name = doc.fieldNames().next();
        boolean accepted = name.equals(expectedRoot) || (acceptVoucherRoot && name.equals(Voucher.ROOT));
        if (!accepted) {
            throw new VoucherException(Reason.WRONG_ROOT, "expected root '" + expectedRoot + "', found '" + name + "'");
        }
        JsonNode body = doc.get(name);
        if (!body.isObject()) {
            throw new VoucherException(Reason.WRONG_ROOT, "'" + name + "' is not a JSON object");
        }
        return (ObjectNode) body;
    }


    /** Typed access to the leaves of one container, producing leaf-naming errors. */
    private final class Leaves {
        private final ObjectNode node;

        Leaves(ObjectNode node) {
            this.node = node;
        }

        Iterable<String> names() {
            return node::fieldNames;
        }

        void require(String... names) throws VoucherException {
            for (String name : names) {
                if (!node.has(name)) {
                    throw new VoucherException(Reason.MISSING_LEAF, "mandatory leaf '" + name + "' is missing");
                }
            }
        }

        String text(String name) throws VoucherException {
            JsonNode value = node.get(name);
            if (!value.isTextual() || value.textValue().isEmpty()) {
                throw invalid(name, "a non-empty string");
            }
            return value.textValue();
        }

        Boolean bool(String name) throws VoucherException {
            JsonNode value = node.get(name);
            if (!value.isBoolean()) {
                throw invalid(name, "true or false");
            }
            return value.booleanValue();
        }

        Assertion assertion(String name) throws VoucherException {
            String value = text(name);
            return Assertion.fromYangName(value).orElseThrow(() -> new VoucherException(Reason.INVALID_LEAF,
                    "leaf 'assertion' must be verified, logged or proximity, not '" + clip(value) + "'"));
        }

        OffsetDateTime date(String name) throws VoucherException {
            String value = text(name);
            if (DATE_AND_TIME.matcher(value).matches()) {
                try {
                    return OffsetDateTime.parse(value.toUpperCase(java.util.Locale.ROOT), RFC3339);
                } catch (DateTimeParseException e) {
                    throw invalid(name, "a valid RFC 3339 date-and-time");
                }
            }
            if (DATE_ONLY.matcher(value).matches()) {
                if (lenient) {
                    try {
                        return LocalDate.parse(value).atStartOfDay().atOffset(ZoneOffset.UTC);
                    } catch (DateTimeParseException e) {
                        throw invalid(name, "a valid date");
                    }
                }
                throw new VoucherException(Reason.INVALID_LEAF, "leaf '" + name + "' is a date without a time ('"
                        + value + "'); RFC 3339 date-and-time is required (lenient mode accepts it)");
            }
            throw invalid(name, "an RFC 3339 date-and-time such as 2021-04-13T21:43:23.787Z");
        }

        byte[] binary(String name) throws VoucherException {
            String value = text(name);
            if (value.startsWith("-----BEGIN")) {
                throw new VoucherException(Reason.INVALID_LEAF,
                        "leaf '" + name + "' holds PEM armour; base64 of the DER encoding is required (RFC 7951)");
            }
            String compact = lenient ? value.replaceAll("\\s+", "") : value;
            if (compact.length() % 4 != 0 || !BASE64.matcher(compact).matches()) {
                throw invalid(name, "standard base64 (RFC 4648 section 4) with padding and no line breaks");
            }
            try {
                return Base64.getDecoder().decode(compact);
            } catch (IllegalArgumentException e) {
                throw invalid(name, "valid base64");
            }
        }

        String unknown(String name) throws VoucherException {
            if (!lenient) {
                throw new VoucherException(Reason.UNKNOWN_LEAF,
                        "unknown leaf '" + clip(name) + "' (strict mode; the YANG module does not define it)");
            }
            return node.get(name).toString();
        }

        private VoucherException invalid(String name, String expected) {
            return new VoucherException(Reason.INVALID_LEAF, "leaf '" + name + "' must be " + expected);
        }
    }

    private static String clip(String value) {
        return value.length() > 64 ? value.substring(0, 64) + "..." : value;
    }
}
