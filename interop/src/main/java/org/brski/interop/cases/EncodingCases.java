package org.brski.interop.cases;

import static org.brski.interop.InteropCase.optional;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.UnaryOperator;
import org.brski.interop.InteropCase;
import org.brski.interop.InteropContext;
import org.brski.interop.InteropException;
import org.brski.interop.Observation;
import org.brski.interop.client.Artifacts;
import org.brski.interop.client.PeerSession;
import org.brski.interop.client.VoucherCheck;
import org.brski.pki.HeldCertificate;
import org.brski.voucher.Rfc3339;
import org.brski.voucher.VoucherRequest;
import org.brski.voucher.cms.CmsContentTypes;

/**
 * Encodings that real peers write differently, each in a correct voucher-request: the nonce in another form than
 * RFC 7951's padded standard base64 (base64url without padding, plain digits), and {@code created-on} with fractional
 * seconds (RFC 3339 allows them; nqminds brski cannot parse them). A peer should accept each and echo the nonce; the
 * observation says whether it echoed the nonce as sent or decoded and re-encoded it (the suite compares nonces by
 * their bytes, {@link org.brski.voucher.Nonce#matches}). Optional: a refusal shows what the peer cannot read.
 */
final class EncodingCases {
    private EncodingCases() {
    }

    static List<InteropCase> all() {
        return List.of(
                optional("pvr-nonce-base64url", "RFC 8366 5.3, RFC 7951 6.6",
                        "nonce as base64url without padding (as many pledges send it)",
                        "200 voucher whose nonce has the same bytes", c -> nonce(c, Base64.getUrlEncoder()
                                .withoutPadding().encodeToString(bytes(c)))).needs(VoucherCases.POSITIVE),
                optional("pvr-nonce-digits", "RFC 8366 5.3", "nonce of 24 decimal digits",
                        "200 voucher whose nonce echoes it", c -> nonce(c, digits(c))).needs(VoucherCases.POSITIVE),
                optional("pvr-created-on-fraction", "RFC 3339 5.6, RFC 8995 5.2",
                        "created-on with fractional seconds (.123456789Z)", "200 voucher (RFC 3339 allows fractions)",
                        EncodingCases::fraction).needs(VoucherCases.POSITIVE));
    }

    private static byte[] bytes(InteropContext c) {
        byte[] value = new byte[16];
        c.random().nextBytes(value);
        return value;
    }

    private static String digits(InteropContext c) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 24; i++) {
            s.append((char) ('0' + c.random().nextInt(10)));
        }
        return s.toString();
    }

    private static Observation nonce(InteropContext c, String nonce) throws InteropException {
        HeldCertificate pledge = c.knownPledge();
        try (PeerSession s = c.registrarSession(pledge)) {
            byte[] der = Flows.pledgeRequest(c, s, pledge, nonce, UnaryOperator.identity());
            VoucherCheck check = Flows.checkVoucher(c, new Flows.Sent(pledge, nonce,
                    Flows.postVoucherRequest(c, s, c.body(der), Flows.voucherHeaders()), s.serverChain()));
            String echoed = check.voucher().nonce().orElseThrow();
            return Observation.met("voucher nonce " + (echoed.equals(nonce) ? "echoed as sent"
                    : "decoded and re-encoded as '" + echoed + "' (same bytes)"));
        }
    }

    private static Observation fraction(InteropContext c) throws InteropException {
        HeldCertificate pledge = c.knownPledge();
        String nonce = c.nonce();
        try (PeerSession s = c.registrarSession(pledge)) {
            VoucherRequest request = Artifacts.pledgeRequest(Flows.serial(pledge), nonce, s.serverCertificate(),
                    c.clock().instant()).build();
            String whole = Rfc3339.format(request.createdOn().orElseThrow());
            String fractional = whole.replace("Z", ".123456789Z");
            String json = new String(Artifacts.json(request, c.profile().requestRoot()), StandardCharsets.UTF_8)
                    .replace("\"" + whole + "\"", "\"" + fractional + "\"");
            byte[] der = Artifacts.sign(pledge, json.getBytes(StandardCharsets.UTF_8),
                    CmsContentTypes.ANIMA_JSON_VOUCHER);
            Flows.checkVoucher(c, new Flows.Sent(pledge, nonce,
                    Flows.postVoucherRequest(c, s, c.body(der), Flows.voucherHeaders()), s.serverChain()));
            return Observation.met("voucher for created-on " + fractional);
        }
    }
}
