package org.brski.registrar.masa;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.brski.registrar.store.AuditResult;
import org.brski.voucher.Nonce;
import org.brski.voucher.StrictJson;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Judges a MASA audit-log response (RFC 8995 sections 5.8.1-5.8.3) against an {@link AuditPolicy}: each event's
 * domainID is compared (as bytes, whatever base64 variant) with this domain's IDs (5.8.2), nonceless events and events
 * of other domains are counted, truncations are reported. Version numbers and counters are accepted as JSON numbers or
 * strings, as the RFC's own example uses strings. Immutable and thread-safe.
 */
public final class AuditLogVerifier {
    /** Largest audit-log accepted. */
    public static final int MAX_BYTES = 256 * 1024;
    /** Most events examined. */
    public static final int MAX_EVENTS = 4096;

    private final AuditPolicy policy;
    private final List<byte[]> ownDomainIds;
    private final ObjectMapper json;

    private AuditLogVerifier(AuditPolicy policy, List<byte[]> ownDomainIds) {
        this.policy = policy;
        this.ownDomainIds = ownDomainIds;
        this.json = StrictJson.mapper();
        this.json.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16)
                .maxStringLength(MAX_BYTES).build());
    }

    /** A verifier recognising {@code ownDomainIds} (binary domainIDs, RFC 8995 5.8.2) as this domain. */
    public static AuditLogVerifier of(AuditPolicy policy, List<byte[]> ownDomainIds) {
        List<byte[]> copy = new ArrayList<>();
        ownDomainIds.forEach(id -> copy.add(id.clone()));
        return new AuditLogVerifier(Objects.requireNonNull(policy, "policy"), List.copyOf(copy));
    }

    /**
     * Judges a log.
     *
     * @param body          the MASA's response body
     * @param expectedNonce the nonce of the voucher just obtained, if any: its absence from the log is reported
     * @param at            the time of the check
     */
    public AuditResult verify(byte[] body, Optional<String> expectedNonce, Instant at) {
        String raw = new String(body, StandardCharsets.UTF_8);
        if (body.length > MAX_BYTES) {
            return new AuditResult(AuditResult.Outcome.UNAVAILABLE, "audit-log larger than " + MAX_BYTES + " bytes",
                    "", at);
        }
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JsonProcessingException e) {
            return new AuditResult(AuditResult.Outcome.UNAVAILABLE, "audit-log is not well-formed JSON: "
                    + StrictJson.describe(e), raw, at);
        } catch (java.io.IOException e) {
            return new AuditResult(AuditResult.Outcome.UNAVAILABLE, "audit-log unreadable", raw, at);
        }
        if (root == null || !root.isObject() || !root.path("events").isArray()) {
            return new AuditResult(AuditResult.Outcome.UNAVAILABLE, "audit-log lacks an events array", raw, at);
        }
        long version = number(root.get("version"));
        int events = 0;
        int foreign = 0;
        int nonceless = 0;
        boolean nonceSeen = false;
        for (JsonNode event : root.get("events")) {
            if (++events > MAX_EVENTS) {
                return new AuditResult(AuditResult.Outcome.UNAVAILABLE, "audit-log has more than " + MAX_EVENTS
                        + " events", raw, at);
            }
            if (!event.isObject() || !event.path("domainID").isTextual()) {
                return new AuditResult(AuditResult.Outcome.UNAVAILABLE, "audit-log event " + events
                        + " lacks a domainID", raw, at);
            }
            Optional<byte[]> id = decode(event.get("domainID").textValue());
            if (id.isEmpty() || ownDomainIds.stream().noneMatch(own -> java.security.MessageDigest.isEqual(own, id.get()))) {
                foreign++;
            }
            JsonNode nonce = event.get("nonce");
            if (nonce == null || nonce.isNull() || (nonce.isTextual() && nonce.textValue().isEmpty())) {
                nonceless++;
            } else if (nonce.isTextual() && expectedNonce.isPresent() && Nonce.matches(nonce.textValue(),
                    expectedNonce.get())) {
                nonceSeen = true;
            }
        }
        long arbitrary = number(root.path("truncation").get("arbitrary"));
        List<String> problems = new ArrayList<>();
        if (foreign > 0 && !policy.allowOtherDomains()) {
            problems.add(foreign + " voucher(s) issued to other domains");
        }
        if (nonceless > 0 && !policy.allowNonceless()) {
            problems.add(nonceless + " nonceless voucher(s)");
        }
        StringBuilder summary = new StringBuilder();
        summary.append(events).append(" event(s), ").append(foreign).append(" for other domains, ")
                .append(nonceless).append(" nonceless");
        if (arbitrary > 0) {
            summary.append(", ").append(arbitrary).append(" arbitrarily truncated");
        }
        if (version > 1) {
            summary.append(", log version ").append(version);
        }
        if (expectedNonce.isPresent() && !nonceSeen) {
            summary.append(", our voucher's nonce not in the log");
        }
        if (!problems.isEmpty()) {
            return new AuditResult(AuditResult.Outcome.VIOLATION, "policy violated: " + String.join(", ", problems)
                    + " (" + summary + ")", raw, at);
        }
        return new AuditResult(AuditResult.Outcome.PASSED, summary.toString(), raw, at);
    }

    private static long number(JsonNode node) {
        if (node == null) {
            return 0;
        }
        if (node.canConvertToLong()) {
            return node.asLong();
        }
        if (node.isTextual()) {
            try {
                return Long.parseLong(node.textValue().trim());
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return 0;
    }

    private static Optional<byte[]> decode(String text) {
        String compact = text.trim();
        try {
            return Optional.of(compact.indexOf('-') >= 0 || compact.indexOf('_') >= 0
                    ? Base64.getUrlDecoder().decode(compact) : Base64.getDecoder().decode(compact));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
