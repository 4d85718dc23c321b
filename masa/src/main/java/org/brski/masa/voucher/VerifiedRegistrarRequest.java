package org.brski.masa.voucher;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.brski.server.config.Compat;
import org.brski.voucher.VoucherRequest;

/**
 * A registrar voucher-request that passed {@link RegistrarRequestVerifier}: every field here has been checked.
 *
 * @param request the registrar voucher-request
 * @param registrarChain the registrar's validated chain from the CMS, signer first, the farthest certificate last
 * @param pledgeRequest the prior-signed-voucher-request, when the registrar included one
 * @param idevid the pledge's IDevID that signed {@code pledgeRequest}
 * @param serialNumber the device serial-number, consistent across the requests and the IDevID
 * @param nonce the nonce, equal in both requests, empty for a nonceless request
 * @param registrarAuthenticated whether the registrar was authenticated against configured anchors (its signer, or its
 *     TLS client certificate), which RFC 8995 section 5.5.4 requires for nonceless vouchers
 * @param body the registrar voucher-request as received: its DER and whether it came as text (compat nqminds), so
 *     that the answer takes the same form
 */
public record VerifiedRegistrarRequest(VoucherRequest request, List<X509Certificate> registrarChain,
        Optional<VoucherRequest> pledgeRequest, Optional<X509Certificate> idevid, String serialNumber,
        Optional<String> nonce, boolean registrarAuthenticated, Compat.CmsBody body) {
    public VerifiedRegistrarRequest {
        registrarChain = List.copyOf(registrarChain);
        Objects.requireNonNull(body, "body");
    }

    /** The certificate that signed the registrar voucher-request. */
    public X509Certificate registrar() {
        return registrarChain.get(0);
    }
}
