package org.brski.pledge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.brski.pkix.Pem;
import org.brski.pledge.PledgeException.Reason;
import org.brski.pledge.est.EstCodec;
import org.brski.pledge.http.HttpReply;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The pledge's parsing core fed the bytes nqminds brski 0.2.6 really sent (copied under
 * {@code src/test/resources/nqminds-brski}), judged at a fixed time after its certificates start: its voucher as its
 * registrar relayed it and as its MASA answered it (headers included), and its enrollment answer. {@link Dialect#NQMINDS}
 * accepts them and still checks what RFC 8995 5.6.1 and 5.9.3 demand; the default {@link Dialect#RFC8995} refuses them.
 */
class NqmindsCapturedTest {
    static final Path VECTORS = Path.of("src", "test", "resources", "nqminds-brski");
    static final Clock AFTER_CAPTURE = Clock.fixed(Instant.parse("2026-12-07T22:00:00Z"), ZoneOffset.UTC);
    static final String SERIAL = "idev-serial12345";
    static final String NONCE = "+Lp6ABHwhyF032vMCDFbiA==";

    /** A captured raw HTTP/1.1 response as the pledge's HTTP client hands it over. */
    static HttpReply reply(String file) throws IOException {
        byte[] raw = Files.readAllBytes(VECTORS.resolve(file));
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        String[] lines = text.substring(0, end).split("\r\n");
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.computeIfAbsent(lines[i].substring(0, colon).trim(), k -> new ArrayList<>())
                    .add(lines[i].substring(colon + 1).trim());
        }
        return HttpReply.of(Integer.parseInt(lines[0].split(" ")[1]), headers,
                Arrays.copyOfRange(raw, end + 4, raw.length));
    }

    static X509Certificate certificate(String name) throws Exception {
        return Pem.readCertificate(VECTORS.resolve("certs").resolve(name));
    }

    /**
     * The voucher checks as a pledge holding the captured IDevID runs them. The MASA signer's issuer {@code int1-cms}
     * is the anchor: nqminds' CMS chain has CA:FALSE intermediates above it, which path validation refuses.
     */
    static VoucherValidation validation(Dialect dialect, Clock clock) throws Exception {
        return new VoucherValidation(List.of(certificate("int1-cms.crt")), certificate("idevid.crt"), SERIAL,
                PledgeOptions.builder().dialect(dialect).clock(clock).build());
    }

    @Test
    void theCapturedVoucherIsAcceptedInTheDialectAsRelayedAndAsTheMasaAnsweredIt() throws Exception {
        for (String file : List.of("03-sign-enroll/4-voucher.registrar-response.http",
                "03-sign-enroll/3-voucher.masa-response.http")) {
            HttpReply reply = reply(file);
            VoucherValidation.Checked checked = validation(Dialect.NQMINDS, AFTER_CAPTURE).check(reply, NONCE);
            assertEquals(SERIAL, checked.voucher().serialNumber(), file);
            assertTrue(checked.voucher().createdOn().isEmpty(), "nqminds omits created-on");
            assertEquals(Instant.parse("2030-12-30T00:00:00Z"), checked.voucher().expiresOn().orElseThrow()
                    .toInstant(), "nonce and expires-on together");
            assertEquals(certificate("registrar-tls-ca.crt"), checked.pinnedDomainCert());
        }
        assertEquals("text/plain", reply("03-sign-enroll/3-voucher.masa-response.http").mediaType());
    }

    @Test
    void theDialectStillChecksNonceAndExpiry() throws Exception {
        HttpReply reply = reply("03-sign-enroll/4-voucher.registrar-response.http");
        PledgeException other = assertThrows(PledgeException.class,
                () -> validation(Dialect.NQMINDS, AFTER_CAPTURE).check(reply, "gSeIuwevGlXkRGSNojhy4g=="));
        assertEquals(Reason.VOUCHER_NONCE_MISMATCH, other.reason());
        Clock later = Clock.fixed(Instant.parse("2031-01-01T00:00:00Z"), ZoneOffset.UTC);
        PledgeException expired = assertThrows(PledgeException.class,
                () -> validation(Dialect.NQMINDS, later).check(reply, NONCE));
        assertEquals(Reason.VOUCHER_EXPIRED, expired.reason());
    }

    @Test
    void aStrictPledgeRefusesTheCapturedVoucher() throws Exception {
        HttpReply relayed = reply("03-sign-enroll/4-voucher.registrar-response.http");
        PledgeException base64 = assertThrows(PledgeException.class,
                () -> validation(Dialect.RFC8995, AFTER_CAPTURE).check(relayed, NONCE));
        assertEquals(Reason.MALFORMED_RESPONSE, base64.reason());
        assertTrue(base64.getMessage().contains("not binary DER") && base64.getMessage().contains("compat nqminds"),
                base64.getMessage());

        PledgeException textPlain = assertThrows(PledgeException.class, () -> validation(Dialect.RFC8995,
                AFTER_CAPTURE).check(reply("03-sign-enroll/3-voucher.masa-response.http"), NONCE));
        assertEquals(Reason.MALFORMED_RESPONSE, textPlain.reason());
        assertTrue(textPlain.getMessage().contains("text/plain"), textPlain.getMessage());

        byte[] der = Base64.getDecoder().decode(relayed.body());
        PledgeException noCreatedOn = assertThrows(PledgeException.class,
                () -> validation(Dialect.RFC8995, AFTER_CAPTURE).check(der, NONCE));
        assertEquals(Reason.VOUCHER_INVALID, noCreatedOn.reason());
        assertTrue(noCreatedOn.getMessage().contains("created-on"), noCreatedOn.getMessage());
    }

    @Test
    void anEmptyOkIsARefusalInTheDialect() throws Exception {
        HttpReply empty = HttpReply.of(200, Map.of("Content-Type", List.of("text/plain")), new byte[0]);
        PledgeException refused = assertThrows(PledgeException.class,
                () -> validation(Dialect.NQMINDS, AFTER_CAPTURE).check(empty, NONCE));
        assertEquals(Reason.VOUCHER_REFUSED, refused.reason());
        assertTrue(refused.getMessage().contains("empty body"), refused.getMessage());
    }

    @Test
    void theCapturedEnrollmentAnswerIsCheckedAgainstThePin() throws Exception {
        HttpReply answer = reply("03-sign-enroll/5-enroll.response.http");
        assertEquals(200, answer.status());
        assertEquals("text/plain", answer.mediaType());
        assertTrue(new String(answer.body(), StandardCharsets.US_ASCII).matches("[A-Za-z0-9+/]+={0,2}"));
        List<X509Certificate> issued = EstCodec.issuedCertificates(Step.ENROLL, answer.body());
        assertEquals(1, issued.size());
        PublicKey requested = requestedKey();
        TrustTime time = TrustTime.of(AFTER_CAPTURE);
        X509Certificate pin = certificate("registrar-tls-ca.crt");

        List<X509Certificate> chain = DomainTrust.checkEnrolled(issued, requested, List.of(), List.of(pin), time);
        assertEquals(issued.get(0), chain.get(0));

        PledgeException untrusted = assertThrows(PledgeException.class, () -> DomainTrust.checkEnrolled(issued,
                requested, List.of(), List.of(certificate("idevid-ca.crt")), time));
        assertEquals(Reason.CERTIFICATE_UNTRUSTED, untrusted.reason());
        PledgeException wrongKey = assertThrows(PledgeException.class, () -> DomainTrust.checkEnrolled(issued,
                certificate("idevid.crt").getPublicKey(), List.of(), List.of(pin), time));
        assertEquals(Reason.CERTIFICATE_WRONG_KEY, wrongKey.reason());
    }

    /** The key of the captured self-signed request, read at the ASN.1 level (its issuer is an empty name). */
    private static PublicKey requestedKey() throws Exception {
        byte[] der = Base64.getDecoder().decode(Files.readAllBytes(VECTORS.resolve(
                "03-sign-enroll/5-enroll-request-cert.b64")));
        ASN1Sequence tbs = ASN1Sequence.getInstance(ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(der))
                .getObjectAt(0));
        byte[] spki = tbs.getObjectAt(6).toASN1Primitive().getEncoded(ASN1Encoding.DER);
        return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(spki));
    }

    /** The leaf names of a voucher document, in order. */
    static List<String> leaves(JsonNode document, String root) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> i = document.get(root).fieldNames(); i.hasNext(); ) {
            names.add(i.next());
        }
        return names;
    }
}
