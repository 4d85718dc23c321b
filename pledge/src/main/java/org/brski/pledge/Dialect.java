package org.brski.pledge;

import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import org.brski.pledge.PledgeException.Reason;
import org.brski.pledge.http.HttpReply;
import org.brski.voucher.Voucher;
import org.brski.voucher.VoucherCms;
import org.brski.voucher.VoucherException;
import org.brski.voucher.VoucherJson;
import org.brski.voucher.VoucherRequest;
import org.brski.voucher.cms.CmsContentTypes;
import org.brski.voucher.cms.CmsInput;
import org.brski.voucher.cms.CmsSigner;

/**
 * The registrar dialect a {@link Pledge} speaks: RFC 8995 as written (the default), or that of nqminds brski (C),
 * whose registrar refuses what RFC 8995 asks for. Set with {@link PledgeOptions.Builder#dialect}
 * ({@code brski pledge onboard --compat nqminds}); never guessed. Signatures, the MASA trust anchors, serial-number,
 * nonce, proximity and the pinned domain certificate are checked alike in both.
 *
 * <ul>
 *   <li>{@link #RFC8995}: the voucher-request is binary DER under the {@code ietf-voucher-request:voucher} root
 *       (RFC 8995 sections 3, 5.2); the voucher must arrive as binary DER labelled {@code application/voucher-cms+json}
 *       (section 5.6) and carry {@code created-on} and exactly one of {@code nonce} and {@code expires-on}
 *       (RFC 8366 section 5.3); enrollment is a PKCS#10 CSR answered with certs-only PKCS#7 (RFC 7030 4.2).</li>
 *   <li>{@link #NQMINDS}: the voucher-request is one line of padded standard base64 under the
 *       {@code ietf-voucher:voucher} root, with only the leaves nqminds knows, whole-second times and eContentType
 *       id-data; the voucher may be base64 or DER, labelled {@code text/plain} or {@code application/voucher-cms+json},
 *       without {@code created-on}, with both {@code nonce} and {@code expires-on}; a 200 answer with an empty body is
 *       nqminds' way of relaying a refusal. Enrollment is a self-signed certificate for a new key, sent as base64 to
 *       {@code /simpleenroll} and answered with the base64 certificate (nqminds has no PKCS#10 enrollment and no
 *       {@code /cacerts}); the certificate is still checked against the pinned domain certificate.</li>
 * </ul>
 */
public enum Dialect {
    /** RFC 8995 as written. */
    RFC8995("rfc8995"),
    /** The nqminds brski dialect (see the class documentation). */
    NQMINDS("nqminds");

    /** The media type nqminds brski's MASA labels its voucher with. */
    static final String TEXT_PLAIN = "text/plain";

    /** The values {@link #parse} accepts, for error messages. */
    public static final String CHOICES = "none, rfc8995 or nqminds";

    private final String configName;

    Dialect(String configName) {
        this.configName = configName;
    }

    /** The name used on the command line. */
    public String configName() {
        return configName;
    }

    /**
     * The dialect named {@code value}, case-insensitive: {@code none} or {@code rfc8995} ({@link #RFC8995}),
     * {@code nqminds} or {@code nqminds-compat} ({@link #NQMINDS}); null or blank is {@link #RFC8995}.
     *
     * @throws IllegalArgumentException for any other name
     */
    public static Dialect parse(String value) {
        if (value == null || value.isBlank()) {
            return RFC8995;
        }
        String name = value.trim().toLowerCase(Locale.ROOT);
        return switch (name) {
            case "none", "rfc8995" -> RFC8995;
            case "nqminds", "nqminds-compat" -> NQMINDS;
            default -> throw new IllegalArgumentException("compat must be " + CHOICES + ", not '"
                    + (name.length() > 32 ? name.substring(0, 32) + "..." : name) + "'");
        };
    }

    /**
     * The body of a pledge voucher-request (RFC 8995 5.2) in this dialect: binary DER of the RFC 8995 JSON signed with
     * eContentType id-ct-animaJSONVoucher; or, with {@link #NQMINDS}, one line of padded standard base64 of the
     * {@code ietf-voucher:voucher} JSON ({@link VoucherJson#toVoucherRootJson}) signed with eContentType id-data, as
     * nqminds brski signs it.
     */
    byte[] voucherRequestBody(CmsSigner signer, VoucherRequest request) {
        if (this == RFC8995) {
            return VoucherCms.sign(signer, request);
        }
        return Base64.getEncoder().encode(signer.withContentType(CmsContentTypes.DATA)
                .sign(VoucherJson.toVoucherRootJson(request)));
    }

    /**
     * Judges the form of a 200 voucher answer before its content: RFC 8995 5.6 wants binary DER labelled
     * {@code application/voucher-cms+json} (a missing Content-Type is tolerated); {@link #NQMINDS} also takes base64
     * and {@code text/plain}, and reads an empty body as the refusal nqminds brski relays that way.
     *
     * @throws PledgeException VOUCHER_REFUSED for the empty nqminds answer; MALFORMED_RESPONSE for a form this dialect
     *                         does not accept
     */
    void checkVoucherAnswer(HttpReply reply) throws PledgeException {
        String type = reply.mediaType();
        if (this == NQMINDS) {
            if (reply.length() == 0) {
                throw new PledgeException(Step.REQUEST_VOUCHER, Reason.VOUCHER_REFUSED, "the registrar answered 200"
                        + " with an empty body: nqminds brski's way of relaying a refusal (the MASA issued no voucher)");
            }
            if (!type.isEmpty() && !type.equals(VoucherCms.MEDIA_TYPE) && !type.equals(TEXT_PLAIN)) {
                throw new PledgeException(Step.REQUEST_VOUCHER, Reason.MALFORMED_RESPONSE, "the voucher is labelled '"
                        + type + "', not " + VoucherCms.MEDIA_TYPE + " or " + TEXT_PLAIN);
            }
            return;
        }
        if (!type.isEmpty() && !type.equals(VoucherCms.MEDIA_TYPE)) {
            throw new PledgeException(Step.REQUEST_VOUCHER, Reason.MALFORMED_RESPONSE, "the voucher is labelled '"
                    + type + "', not " + VoucherCms.MEDIA_TYPE + " (RFC 8995 5.6); " + TEXT_PLAIN
                    + " is accepted only with compat nqminds");
        }
        byte[] body = reply.body();
        if (body.length > 0 && !isBinaryDer(body)) {
            throw new PledgeException(Step.REQUEST_VOUCHER, Reason.MALFORMED_RESPONSE, "the voucher is not binary DER"
                    + " (RFC 8995 5.6); base64 is accepted only with compat nqminds");
        }
    }

    /**
     * The voucher rules this dialect adds to the parser's (which is lenient, RFC 8995 5.6.1: unknown leaves are
     * ignored): RFC 8366 5.3 wants {@code created-on} and either {@code nonce} or {@code expires-on}; nqminds brski's
     * MASA omits the first and writes both of the others, which {@link #NQMINDS} accepts (both are then checked).
     *
     * @throws PledgeException VOUCHER_INVALID naming the leaf
     */
    void checkVoucherLeaves(Voucher voucher) throws PledgeException {
        if (this == NQMINDS) {
            return;
        }
        if (voucher.createdOn().isEmpty()) {
            throw new PledgeException(Step.VERIFY_VOUCHER, Reason.VOUCHER_INVALID, "the voucher has no created-on,"
                    + " which RFC 8366 requires; accepted only with compat nqminds");
        }
        if (voucher.nonce().isPresent() && voucher.expiresOn().isPresent()) {
            throw new PledgeException(Step.VERIFY_VOUCHER, Reason.VOUCHER_INVALID, "the voucher carries both nonce"
                    + " and expires-on, RFC 8366 5.3 allows one; accepted only with compat nqminds");
        }
    }

    /** Whether {@code body} is binary DER rather than base64 or PEM text of it. */
    private static boolean isBinaryDer(byte[] body) {
        try {
            return Arrays.equals(CmsInput.decode(body), body);
        } catch (VoucherException e) {
            return body[0] == 0x30; // malformed binary: the CMS parser reports it
        }
    }

    @Override
    public String toString() {
        return configName;
    }
}
