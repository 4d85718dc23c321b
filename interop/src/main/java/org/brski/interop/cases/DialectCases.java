package org.brski.interop.cases;

import static org.brski.interop.InteropCase.required;

import java.util.List;
import org.brski.interop.InteropCase;
import org.brski.interop.InteropContext;
import org.brski.interop.InteropException;
import org.brski.interop.Observation;
import org.brski.interop.Profile;
import org.brski.interop.client.Artifacts;
import org.brski.interop.client.Attempt;
import org.brski.interop.client.PeerSession;
import org.brski.pki.HeldCertificate;
import org.brski.voucher.VoucherRequest;
import org.brski.voucher.cms.CmsContentTypes;

/**
 * The nqminds dialect sent to a registrar in the default profile, which must refuse it: a voucher-request under the
 * {@code ietf-voucher:voucher} root (RFC 8995 3 defines {@code ietf-voucher-request:voucher}), and the whole dialect
 * (empty probe POST, then a base64 body under that root). In the nqminds-compat profile the positive cases speak the
 * dialect instead.
 */
final class DialectCases {
    /** Words of a refusal of the dialect: its root member, its encoding. */
    static final Refusal DIALECT = Refusal.because("the dialect", "root|ietf-voucher|voucher-request|dialect"
            + "|nqminds|member|yang|schema|unknown|" + Refusal.MALFORMED);

    private DialectCases() {
    }

    static List<InteropCase> all() {
        return List.of(
                required("nqminds-request-root", "RFC 8995 3, 5.2",
                        "DER voucher-request under the ietf-voucher:voucher root", "4xx naming the request root",
                        c -> dialect(c, false)).onlyIn(Profile.DEFAULT).needs(VoucherCases.POSITIVE),
                required("nqminds-dialect", "RFC 8995 3, 6",
                        "empty probe POST, then a base64 voucher-request under ietf-voucher:voucher",
                        "4xx for the real request", c -> dialect(c, true)).onlyIn(Profile.DEFAULT)
                        .needs(VoucherCases.POSITIVE));
    }

    private static Observation dialect(InteropContext c, boolean full) throws InteropException {
        HeldCertificate pledge = c.knownPledge();
        try (PeerSession s = c.registrarSession(pledge)) {
            VoucherRequest request = Artifacts.pledgeRequest(Flows.serial(pledge), c.nonce(), s.serverCertificate(),
                    c.clock().instant()).build();
            byte[] der = Artifacts.sign(pledge, Artifacts.json(request, Profile.NQMINDS_COMPAT.requestRoot()),
                    CmsContentTypes.ANIMA_JSON_VOUCHER);
            String probe = "";
            if (full) {
                probe = "probe: " + s.attempt("POST", Flows.REQUEST_VOUCHER, Flows.voucherHeaders(), new byte[0])
                        .describe() + "; request: ";
            }
            Attempt attempt = s.attempt("POST", Flows.REQUEST_VOUCHER, Flows.voucherHeaders(),
                    full ? Artifacts.base64(der, false) : der);
            Observation o = DIALECT.judge(attempt);
            return Observation.of(o.met(), probe + o.observed());
        }
    }
}
