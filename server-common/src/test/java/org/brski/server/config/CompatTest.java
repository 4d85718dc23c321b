package org.brski.server.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.brski.server.ServerException;
import org.brski.voucher.VoucherException;
import org.junit.jupiter.api.Test;

/** The decisions of {@link Compat}, without a server. */
class CompatTest {
    /** A DER SEQUENCE standing in for a CMS ContentInfo. */
    private static final byte[] DER = {0x30, 0x03, 0x02, 0x01, 0x05};

    @Test
    void parsesNamesAndRefusesOthers() {
        assertEquals(Compat.NONE, Compat.parse(null));
        assertEquals(Compat.NONE, Compat.parse(" None "));
        assertEquals(Compat.NQMINDS, Compat.parse("NQMINDS"));
        assertEquals(Compat.NQMINDS, Compat.parse("nqminds-compat"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Compat.parse("openssl"));
        assertTrue(e.getMessage().contains("none or nqminds"), e.getMessage());
    }

    @Test
    void base64BodiesOnlyWithNqminds() throws Exception {
        byte[] text = Base64.getMimeEncoder().encode(DER);
        ServerException e = assertThrows(ServerException.class, () -> Compat.NONE.voucherBody(text));
        assertEquals(400, e.problem().status());
        assertTrue(e.problem().detail().contains("unless compat nqminds"), e.problem().detail());
        Compat.CmsBody body = Compat.NQMINDS.voucherBody(text);
        assertArrayEquals(DER, body.der());
        assertTrue(body.text());
        assertFalse(Compat.NONE.voucherBody(DER).text());
        assertThrows(VoucherException.class, () -> Compat.NQMINDS.voucherBody(new byte[0]));
    }

    @Test
    void answersInTheFormOfTheRequest() throws Exception {
        Compat.CmsBody binary = Compat.NONE.voucherBody(DER);
        Compat.CmsBody text = Compat.NQMINDS.voucherBody(Base64.getEncoder().encode(DER));
        assertArrayEquals(DER, Compat.NQMINDS.inFormOf(binary, binary, DER));
        assertArrayEquals(Base64.getEncoder().encode(DER), Compat.NQMINDS.inFormOf(text, binary, DER));
        byte[] mime = Base64.getMimeEncoder().encode(DER);
        assertArrayEquals(mime, Compat.NQMINDS.inFormOf(text, Compat.NQMINDS.voucherBody(mime), mime),
                "text answers to text requests pass byte for byte");
        assertArrayEquals(DER, Compat.NQMINDS.inFormOf(binary, text, Base64.getEncoder().encode(DER)));
    }

    @Test
    void theVoucherRootIsRefusedByDefaultEvenWhenLenient() throws Exception {
        byte[] json = "{\"ietf-voucher:voucher\":{\"serial-number\":\"1\"}}".getBytes(StandardCharsets.UTF_8);
        ServerException e = assertThrows(ServerException.class, () -> Compat.NONE.checkRequestRoot(json));
        assertEquals("urn:brski:problem:request-root", e.problem().type());
        Compat.NQMINDS.checkRequestRoot(json);
        Compat.NONE.checkRequestRoot("{\"ietf-voucher-request:voucher\":{}}".getBytes(StandardCharsets.UTF_8));
        Compat.NONE.checkRequestRoot("not json".getBytes(StandardCharsets.UTF_8));
        assertTrue(Compat.NQMINDS.requestParser(false).isLenient());
        assertFalse(Compat.NONE.requestParser(false).isLenient());
        assertEquals(List.of("application/voucher-cms+json", "text/plain"),
                Compat.NQMINDS.voucherResponseTypes("application/voucher-cms+json"));
        assertTrue(Compat.NQMINDS.isProbe(new byte[0]));
        assertFalse(Compat.NONE.isProbe(new byte[0]));
    }

    @Test
    void aTextIdevidIssuerNamesTheIssuerOnlyWithNqminds() {
        javax.security.auth.x500.X500Principal issuer = new javax.security.auth.x500.X500Principal("CN=idevca,C=IE");
        byte[] text = "C = IE, CN = idevca".getBytes(StandardCharsets.US_ASCII);
        assertTrue(Compat.NQMINDS.idevidIssuerNames(text, issuer));
        assertFalse(Compat.NONE.idevidIssuerNames(text, issuer), "RFC 8995 5.5: a key identifier");
        assertFalse(Compat.NQMINDS.idevidIssuerNames("C = IE, CN = other".getBytes(StandardCharsets.US_ASCII),
                issuer));
        assertFalse(Compat.NQMINDS.idevidIssuerNames(new byte[] {4, 20, 1, 2}, issuer), "a key identifier");
        assertArrayEquals(text, Compat.NQMINDS.idevidIssuer(issuer, java.util.Optional.of(new byte[] {1})).get());
        assertArrayEquals(new byte[] {1}, Compat.NONE.idevidIssuer(issuer, java.util.Optional.of(new byte[] {1}))
                .get());
        assertTrue(Compat.NONE.idevidIssuer(issuer, java.util.Optional.empty()).isEmpty());
    }

    @Test
    void aVoucherWithNonceAndExpiresOnOnlyWithNqminds() throws Exception {
        org.brski.voucher.Voucher both = org.brski.voucher.VoucherJson.lenient().parseVoucher(("{\"ietf-voucher:voucher"
                + "\":{\"expires-on\":\"2030-12-30T00:00:00Z\",\"assertion\":\"proximity\",\"serial-number\":\"s\","
                + "\"pinned-domain-cert\":\"MAA=\",\"nonce\":\"AAEC\"}}").getBytes(StandardCharsets.UTF_8));
        Compat.NQMINDS.checkVoucherFreshness(both);
        ServerException e = assertThrows(ServerException.class, () -> Compat.NONE.checkVoucherFreshness(both));
        assertTrue(e.problem().detail().contains("nonce and expires-on"), e.problem().detail());
        Compat.NONE.checkVoucherFreshness(both.toBuilder().expiresOn(null).build());
    }
}
