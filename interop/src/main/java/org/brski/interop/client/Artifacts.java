package org.brski.interop.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.brski.pki.HeldCertificate;
import org.brski.pkix.Certificates;
import org.brski.pledge.est.EstCodec;
import org.brski.voucher.Assertion;
import org.brski.voucher.Nonce;
import org.brski.voucher.Rfc3339;
import org.brski.voucher.VoucherJson;
import org.brski.voucher.VoucherRequest;
import org.brski.voucher.cms.CmsSigner;

/**
 * Builds the artifacts the suite sends, correct ones and deliberately broken ones: pledge and registrar
 * voucher-requests (RFC 8995 sections 3, 5.2, 5.5) signed with voucher-lib's {@link CmsSigner}, and PKCS#10 requests
 * (RFC 7030 4.2) from the pledge's {@link EstCodec}. Stateless.
 */
public final class Artifacts {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Artifacts() {
    }

    /** A fresh nonce (RFC 8995 5.2): 16 random bytes in RFC 7951 form (standard base64 with padding). */
    public static String nonce(SecureRandom random) {
        return Nonce.random(random);
    }

    /**
     * The leaves of a correct pledge voucher-request (RFC 8995 5.2): created-on now, assertion proximity,
     * serial-number, nonce, proximity-registrar-cert.
     */
    public static VoucherRequest.Builder pledgeRequest(String serial, String nonce, X509Certificate registrar,
            Instant now) {
        return VoucherRequest.builder()
                .createdOn(Rfc3339.utcSeconds(now))
                .assertion(Assertion.PROXIMITY)
                .serialNumber(serial)
                .nonce(nonce)
                .proximityRegistrarCert(der(registrar));
    }

    /**
     * The leaves of a registrar voucher-request (RFC 8995 5.5): created-on now, assertion proximity, serial-number,
     * nonce and the pledge's request as prior-signed-voucher-request.
     */
    public static VoucherRequest.Builder registrarRequest(String serial, String nonce, byte[] pledgeRequestDer,
            Instant now) {
        return VoucherRequest.builder()
                .createdOn(Rfc3339.utcSeconds(now))
                .assertion(Assertion.PROXIMITY)
                .serialNumber(serial)
                .nonce(nonce)
                .priorSignedVoucherRequest(pledgeRequestDer);
    }

    /** The JSON of {@code request} under {@code root} (RFC 7951 module-qualified member name). */
    public static byte[] json(VoucherRequest request, String root) {
        byte[] standard = VoucherJson.toJson(request);
        if (VoucherRequest.ROOT.equals(root)) {
            return standard;
        }
        try {
            JsonNode leaves = JSON.readTree(standard).get(VoucherRequest.ROOT);
            ObjectNode document = JSON.createObjectNode();
            document.set(root, leaves);
            return JSON.writeValueAsBytes(document);
        } catch (IOException e) {
            throw new IllegalStateException("cannot re-root the voucher-request JSON", e);
        }
    }

    /** A CMS SignedData (DER) of {@code content} by {@code signer}, embedding its issuer chain, with this eContentType. */
    public static byte[] sign(HeldCertificate signer, byte[] content, String eContentType) {
        return CmsSigner.of(signer.privateKey(), signer.certificate(), signer.issuerChain())
                .withContentType(eContentType).sign(content);
    }

    /**
     * The same DER with its last byte changed. In a CMS SignedData (and in a PKCS#10 request) the last bytes belong to
     * the signature value, so the structure still parses and only the signature no longer verifies.
     */
    public static byte[] corruptLastByte(byte[] der) {
        byte[] copy = der.clone();
        copy[copy.length - 1] ^= 0x5A;
        return copy;
    }

    /** The first half of {@code der}: a truncated structure. */
    public static byte[] truncated(byte[] der) {
        return Arrays.copyOf(der, der.length / 2);
    }

    /** Standard base64 text of {@code der}, optionally with CRLF line breaks every 64 characters (RFC 2045 style). */
    public static byte[] base64(byte[] der, boolean lineBreaks) {
        String text = lineBreaks
                ? Base64.getMimeEncoder(64, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der) + "\r\n"
                : Base64.getEncoder().encodeToString(der);
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** A PKCS#10 request for {@code keys} with subject {@code CN=<cn>, serialNumber=<serial>}. */
    public static PKCS10CertificationRequest csr(String commonName, String serial, KeyPair keys) {
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName)
                .addRDN(BCStyle.SERIALNUMBER, serial).build();
        return EstCodec.certificationRequest(subject, keys, Optional.empty());
    }

    /** The DER of a PKCS#10 request. */
    public static byte[] der(PKCS10CertificationRequest csr) {
        try {
            return csr.toASN1Structure().getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode the certification request", e);
        }
    }

    /** The DER of a certificate. */
    public static byte[] der(X509Certificate certificate) {
        return Certificates.der(certificate);
    }
}
