package org.brski.masa.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.brski.masa.MasaException;
import org.brski.masa.Refusal;
import org.brski.masa.store.AuditEvent;
import org.brski.masa.store.Device;
import org.brski.masa.store.MasaStore;
import org.brski.masa.store.Ownership;
import org.brski.masa.voucher.BrskiMediaTypes;
import org.brski.masa.voucher.MasaRequest;
import org.brski.masa.voucher.MasaResponse;
import org.brski.masa.voucher.RegistrarRequestVerifier;
import org.brski.masa.voucher.VerifiedRegistrarRequest;
import org.brski.masa.voucher.VoucherIssuer;
import org.brski.pkix.DeviceCertificates;
import org.brski.voucher.Rfc3339;
import org.brski.server.config.Compat;

/**
 * The MASA's {@code /requestauditlog} logic (RFC 8995 sections 5.8-5.8.2), transport-free. The registrar posts a
 * registrar voucher-request which is verified like a voucher request, created-on included: a captured request must not
 * replay the log for ever, so created-on is required here (a voucher request may rest its freshness on the nonce; an
 * audit-log request has none of its own), except in the nqminds dialect, whose registrars omit it. The device must be registered and the requesting domain must appear in its log or own it,
 * else 404. The answer is the JSON of section 5.8.1: {@code version} 1, {@code events} oldest first, and
 * {@code truncation}. Nonceless events of one domain are abridged to the most recent one, whose {@code truncated}
 * counts the others ({@code nonceless duplicates}); logs longer than {@value #MAX_EVENTS} events lose their oldest
 * ({@code arbitrary}).
 */
public final class AuditLogResponder {
    /** Most events answered. */
    public static final int MAX_EVENTS = 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MasaStore store;
    private final RegistrarRequestVerifier verifier;

    public AuditLogResponder(MasaStore store, RegistrarRequestVerifier verifier) {
        this.store = Objects.requireNonNull(store, "store");
        this.verifier = Objects.requireNonNull(verifier, "verifier");
    }

    /** Answers the audit log of the device named by the registrar voucher-request. */
    public MasaResponse requestAuditLog(MasaRequest request) throws MasaException {
        VoucherIssuer.checkMediaTypes(request, BrskiMediaTypes.JSON);
        VerifiedRegistrarRequest verified = verifier.verify(request.body(), request.peerChain(), true);
        if (verified.request().createdOn().isEmpty() && verifier.compat() != Compat.NQMINDS) {
            throw new MasaException(Refusal.STALE_REQUEST, "an audit-log request must carry created-on (RFC 8995"
                    + " section 5.8): without it a captured request would replay the log for ever");
        }
        String serial = verified.serialNumber();
        Device device = store.device(serial).orElseThrow(() -> new MasaException(Refusal.UNKNOWN_DEVICE,
                "serial-number '" + serial + "' is not a device of this manufacturer"));

        Set<String> requester = keyIds(verified.registrarChain());
        long total = store.auditEventCount(serial);
        List<AuditEvent> events = store.auditEvents(serial, MAX_EVENTS);
        boolean owner = device.ownership().kind() == Ownership.Kind.BOUND && device.ownership().ownerKeyId()
                .map(id -> requester.contains(Base64.getEncoder().encodeToString(id))).orElse(false);
        // Events logged before domainKeyId was recorded fall back to domainID, accepted only when it is key-derived.
        boolean inLog = events.stream().anyMatch(e -> requester.contains(
                e.domainKeyId() != null ? e.domainKeyId() : e.domainId()));
        if (!owner && !inLog) {
            throw new MasaException(Refusal.NO_AUDIT_LOG, "the requesting domain was never an owner of device '"
                    + serial + "' (RFC 8995 section 5.8)");
        }
        return new MasaResponse(BrskiMediaTypes.JSON, render(events, total - events.size()));
    }

    /**
     * The key-derived identifiers (SHA-1 of each public key) of a chain's certificates. Their subjectKeyIdentifier
     * extensions are not used: the registrar's own CA can copy another domain's, and so read its log.
     */
    private static Set<String> keyIds(List<X509Certificate> chain) {
        Set<String> ids = new HashSet<>();
        for (X509Certificate c : chain) {
            ids.add(Base64.getEncoder().encodeToString(DeviceCertificates.spkiKeyIdentifier(c)));
        }
        return ids;
    }

    /** The RFC 8995 section 5.8.1 document for {@code events} (oldest first). */
    static byte[] render(List<AuditEvent> events, long arbitrary) {
        Map<String, Integer> latestNonceless = new HashMap<>();
        Map<String, Integer> noncelessCount = new HashMap<>();
        for (int i = 0; i < events.size(); i++) {
            AuditEvent e = events.get(i);
            if (e.nonce() == null) {
                latestNonceless.put(e.domainId(), i);
                noncelessCount.merge(e.domainId(), 1, Integer::sum);
            }
        }
        ObjectNode root = JSON.createObjectNode();
        root.put("version", 1);
        ArrayNode array = root.putArray("events");
        long noncelessDuplicates = 0;
        for (int i = 0; i < events.size(); i++) {
            AuditEvent e = events.get(i);
            if (e.nonce() == null && latestNonceless.get(e.domainId()) != i) {
                noncelessDuplicates++;
                continue;
            }
            ObjectNode event = array.addObject();
            event.put("date", Rfc3339.format(e.date()));
            event.put("domainID", e.domainId());
            if (e.nonce() == null) {
                event.putNull("nonce");
            } else {
                event.put("nonce", e.nonce());
            }
            event.put("assertion", e.assertion().yangName());
            if (e.nonce() == null && noncelessCount.get(e.domainId()) > 1) {
                event.put("truncated", Math.min(1024, noncelessCount.get(e.domainId()) - 1));
            }
        }
        ObjectNode truncation = root.putObject("truncation");
        truncation.put("nonced duplicates", 0);
        truncation.put("nonceless duplicates", Math.min(1024, noncelessDuplicates));
        truncation.put("arbitrary", Math.min(1024, Math.max(0, arbitrary)));
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }
}
