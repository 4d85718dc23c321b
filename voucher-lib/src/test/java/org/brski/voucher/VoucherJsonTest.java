package org.brski.voucher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.brski.voucher.VoucherException.Reason;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VoucherJsonTest {
    private static final byte[] CERT = {0x30, (byte) 0x82, 0x01, 0x02, 0x03, 0x04, (byte) 0xff};
    private static final OffsetDateTime CREATED = OffsetDateTime.of(2021, 4, 13, 17, 43, 24, 589_000_000,
            ZoneOffset.ofHours(-4));
    /** What we write: whole seconds (an instant of {@link #CREATED} without the fraction). */
    private static final OffsetDateTime CREATED_S = CREATED.withNano(0);

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String voucherJson(String leaves) {
        return "{\"ietf-voucher:voucher\":{" + leaves + "}}";
    }

    private static final String VALID_LEAVES = "\"assertion\":\"logged\",\"created-on\":\"2021-04-13T17:43:24.589-04:00\","
            + "\"serial-number\":\"00-D0-E5-F2-00-02\",\"nonce\":\"-_XE9zK9q8Ll1qylMtLKeg\",\"pinned-domain-cert\":\"MIIB\"";

    private static Reason reasonOf(Executable e) {
        return assertThrows(VoucherException.class, e::run).reason();
    }

    @FunctionalInterface
    interface Executable {
        void run() throws VoucherException;
    }

    @Nested
    class RoundTrips {
        @Test
        void everyVoucherLeafSurvivesARoundTrip() throws VoucherException {
            Voucher nonceless = Voucher.builder()
                    .createdOn(CREATED_S)
                    .expiresOn(CREATED_S.plusDays(30).withOffsetSameInstant(ZoneOffset.UTC))
                    .assertion(Assertion.VERIFIED)
                    .serialNumber("JADA123456789")
                    .idevidIssuer(new byte[] {4, 20, 1, 2, 3})
                    .pinnedDomainCert(CERT)
                    .domainCertRevocationChecks(true)
                    .lastRenewalDate(CREATED_S.plusDays(1))
                    .build();
            byte[] json = VoucherJson.toJson(nonceless);
            assertEquals(nonceless, VoucherJson.strict().parseVoucher(json));

            Voucher online = nonceless.toBuilder().expiresOn(null).lastRenewalDate(null).nonce("62a2e7693d82fcda")
                    .domainCertRevocationChecks(false).assertion(Assertion.PROXIMITY).build();
            Voucher parsed = VoucherJson.strict().parseVoucher(VoucherJson.toJson(online));
            assertEquals(online, parsed);
            assertEquals("62a2e7693d82fcda", parsed.nonce().orElseThrow());
            assertEquals(false, parsed.domainCertRevocationChecks().orElseThrow());
        }

        @Test
        void everyVoucherRequestLeafSurvivesARoundTrip() throws VoucherException {
            VoucherRequest request = VoucherRequest.builder()
                    .createdOn(CREATED_S)
                    .expiresOn(CREATED_S.plusHours(1))
                    .assertion(Assertion.PROXIMITY)
                    .serialNumber("JADA123456789")
                    .idevidIssuer(new byte[] {1, 2})
                    .nonce("-_XE9zK9q8Ll1qylMtLKeg")
                    .priorSignedVoucherRequest(new byte[] {0x30, 0x03, 1, 2, 3})
                    .proximityRegistrarCert(CERT)
                    .build();
            assertEquals(request, VoucherJson.strict().parseVoucherRequest(VoucherJson.toJson(request)));
        }

        @Test
        void datesAreReadWithTheirOffsetAndFractionAndWrittenInWholeSeconds() throws VoucherException {
            Voucher v = VoucherJson.strict().parseVoucher(utf8(voucherJson(VALID_LEAVES)));
            assertEquals(CREATED, v.createdOn().orElseThrow());
            String out = new String(VoucherJson.toJson(v), StandardCharsets.UTF_8);
            assertTrue(out.contains("\"created-on\":\"2021-04-13T17:43:24-04:00\""), out);
        }

        @Test
        void emittedJsonHasNoFractionalSeconds() {
            OffsetDateTime nanos = OffsetDateTime.of(2026, 12, 7, 21, 49, 51, 77_339_672, ZoneOffset.UTC);
            Voucher voucher = Voucher.builder().assertion(Assertion.LOGGED).serialNumber("s").pinnedDomainCert(CERT)
                    .createdOn(nanos).expiresOn(nanos.plusMinutes(20)).lastRenewalDate(nanos).build();
            VoucherRequest request = VoucherRequest.builder().serialNumber("s").createdOn(nanos)
                    .expiresOn(nanos.plusMinutes(1)).build();
            for (byte[] json : List.of(VoucherJson.toJson(voucher), VoucherJson.toJson(request),
                    VoucherJson.toVoucherRootJson(request))) {
                String text = new String(json, StandardCharsets.UTF_8);
                assertFalse(java.util.regex.Pattern.compile(":\\d\\d\\.\\d").matcher(text).find(), text);
                assertTrue(text.contains("\"2026-12-07T21:49:51Z\""), text);
            }
            assertEquals("2026-12-07T21:49:51Z", Rfc3339.format(nanos.toInstant()));
            assertEquals(nanos.withNano(0), Rfc3339.utcSeconds(nanos.toInstant()));
        }

        @Test
        void aVoucherRequestUnderTheVoucherRootHasOnlyTheVoucherGroupingLeavesInItsOrder() throws VoucherException {
            VoucherRequest request = VoucherRequest.builder().createdOn(CREATED_S).assertion(Assertion.PROXIMITY)
                    .serialNumber("A1").idevidIssuer(new byte[] {1}).nonce("AAEC").proximityRegistrarCert(CERT)
                    .priorSignedVoucherRequest(new byte[] {0x30, 0}).unknownLeaf("vendor:x", "1").build();
            String text = new String(VoucherJson.toVoucherRootJson(request), StandardCharsets.UTF_8);
            assertEquals("{\"ietf-voucher:voucher\":{\"created-on\":\"2021-04-13T17:43:24-04:00\","
                    + "\"assertion\":\"proximity\",\"serial-number\":\"A1\",\"idevid-issuer\":\"AQ==\","
                    + "\"domain-cert-revocation-checks\":false,\"nonce\":\"AAEC\","
                    + "\"prior-signed-voucher-request\":\"MAA=\",\"proximity-registrar-cert\":\"MIIBAgME/w==\"}}", text);
            VoucherRequest parsed = VoucherJson.lenient().parseVoucherRequest(utf8(text));
            assertEquals(request.nonce(), parsed.nonce());
            assertArrayEquals(request.priorSignedVoucherRequest().orElseThrow(),
                    parsed.priorSignedVoucherRequest().orElseThrow());
            assertTrue(parsed.unknownLeaves().isEmpty(), "unknown leaves are not written in this form");
        }

        @Test
        void zuluAndLowercaseSeparatorsParse() throws VoucherException {
            Voucher v = VoucherJson.strict().parseVoucher(utf8(voucherJson(
                    VALID_LEAVES.replace("2021-04-13T17:43:24.589-04:00", "2021-04-13t21:43:24z"))));
            assertEquals(CREATED.withNano(0).toInstant(), v.createdOn().orElseThrow().toInstant());
        }

        @Test
        void nonceIsKeptExactlyAsSent() throws VoucherException {
            for (String nonce : new String[] {"-_XE9zK9q8Ll1qylMtLKeg", "123456789", "YWJj+/==" }) {
                Voucher v = VoucherJson.strict().parseVoucher(utf8(voucherJson(
                        VALID_LEAVES.replace("-_XE9zK9q8Ll1qylMtLKeg", nonce))));
                assertEquals(nonce, v.nonce().orElseThrow());
                assertTrue(new String(VoucherJson.toJson(v), StandardCharsets.UTF_8).contains("\"" + nonce + "\""));
            }
        }

        @Test
        void binaryLeavesDecodeToDer() throws VoucherException {
            Voucher v = VoucherJson.strict().parseVoucher(utf8(voucherJson(VALID_LEAVES)));
            assertArrayEquals(new byte[] {0x30, (byte) 0x82, 0x01}, v.pinnedDomainCert());
        }
    }

    @Nested
    class Strict {
        @ParameterizedTest
        @ValueSource(strings = {"", "{", "[]", "null", "\"x\"", "{\"ietf-voucher:voucher\":{}} trailing",
            "{\"ietf-voucher:voucher\":{\"assertion\":\"logged\",\"assertion\":\"logged\"}}"})
        void malformedJsonIsRefused(String input) {
            Reason r = reasonOf(() -> VoucherJson.strict().parseVoucher(utf8(input)));
            assertTrue(r == Reason.MALFORMED_JSON, "got " + r);
        }

        @Test
        void wrongRootIsRefused() {
            assertEquals(Reason.WRONG_ROOT, reasonOf(() -> VoucherJson.strict().parseVoucher(
                    utf8("{\"ietf-voucher-request:voucher\":{" + VALID_LEAVES + "}}"))));
            assertEquals(Reason.WRONG_ROOT, reasonOf(() -> VoucherJson.strict().parseVoucherRequest(
                    utf8(voucherJson(VALID_LEAVES)))));
            assertEquals(Reason.WRONG_ROOT, reasonOf(() -> VoucherJson.strict().parseVoucher(
                    utf8("{\"ietf-voucher:voucher\":{" + VALID_LEAVES + "},\"x\":1}"))));
            assertEquals(Reason.WRONG_ROOT, reasonOf(() -> VoucherJson.strict().parseVoucher(
                    utf8("{\"ietf-voucher:voucher\":[1]}"))));
        }

        @ParameterizedTest
        @ValueSource(strings = {"assertion", "serial-number", "pinned-domain-cert", "created-on"})
        void missingMandatoryLeafIsNamed(String leaf) {
            String leaves = VALID_LEAVES.replaceAll("\"" + leaf + "\":\"[^\"]*\",?", "").replaceAll(",$", "");
            VoucherException e = assertThrows(VoucherException.class,
                    () -> VoucherJson.strict().parseVoucher(utf8(voucherJson(leaves))));
            assertEquals(Reason.MISSING_LEAF, e.reason());
            assertTrue(e.getMessage().contains(leaf), e.getMessage());
        }

        @Test
        void unknownLeafIsRefusedAndNamed() {
            VoucherException e = assertThrows(VoucherException.class, () -> VoucherJson.strict().parseVoucher(
                    utf8(voucherJson(VALID_LEAVES + ",\"vendor-extension\":42"))));
            assertEquals(Reason.UNKNOWN_LEAF, e.reason());
            assertTrue(e.getMessage().contains("vendor-extension"));
        }

        @Test
        void pemArmourInABinaryLeafIsRefusedWithAClearMessage() {
            VoucherException e = assertThrows(VoucherException.class, () -> VoucherJson.strict().parseVoucher(
                    utf8(voucherJson(VALID_LEAVES.replace("MIIB", "-----BEGIN CERTIFICATE-----\\nMIIB")))));
            assertEquals(Reason.INVALID_LEAF, e.reason());
            assertTrue(e.getMessage().contains("PEM"), e.getMessage());
        }

        @ParameterizedTest
        @ValueSource(strings = {"MII", "MIIB!", "MI=B", "MIIB\\nMIIB", "-_8A", "MIIB===="})
        void invalidBase64IsRefused(String value) {
            VoucherException e = assertThrows(VoucherException.class, () -> VoucherJson.strict().parseVoucher(
                    utf8(voucherJson(VALID_LEAVES.replace("MIIB", value)))));
            assertEquals(Reason.INVALID_LEAF, e.reason());
            assertTrue(e.getMessage().contains("pinned-domain-cert"), e.getMessage());
        }

        @ParameterizedTest
        @ValueSource(strings = {"2021-04-13", "2021-04-13T17:43Z", "2021-04-13 17:43:24Z", "13/04/2021",
            "2021-04-13T17:43:24", "2021-02-30T17:43:24Z", "2021-04-13T25:43:24Z"})
        void invalidDatesAreRefused(String value) {
            VoucherException e = assertThrows(VoucherException.class, () -> VoucherJson.strict().parseVoucher(
                    utf8(voucherJson(VALID_LEAVES.replace("2021-04-13T17:43:24.589-04:00", value)))));
            assertEquals(Reason.INVALID_LEAF, e.reason());
            assertTrue(e.getMessage().contains("created-on"), e.getMessage());
        }

        @Test
        void wrongLeafTypesAreRefused() {
            assertEquals(Reason.INVALID_LEAF, reasonOf(() -> VoucherJson.strict().parseVoucher(
                    utf8(voucherJson(VALID_LEAVES.replace("\"00-D0-E5-F2-00-02\"", "42"))))));
            assertEquals(Reason.INVALID_LEAF, reasonOf(() -> VoucherJson.strict().parseVoucher(
                    utf8(voucherJson(VALID_LEAVES + ",\"domain-cert-revocation-checks\":\"yes\"")))));
            assertEquals(Reason.INVALID_LEAF, reasonOf(() -> VoucherJson.strict().parseVoucher(
                    utf8(voucherJson(VALID_LEAVES.replace("\"logged\"", "\"owned\""))))));
            assertEquals(Reason.INVALID_LEAF, reasonOf(() -> VoucherJson.strict().parseVoucher(
                    utf8(voucherJson(VALID_LEAVES.replace("\"logged\"", "\"LOGGED\""))))));
            assertEquals(Reason.INVALID_LEAF, reasonOf(() -> VoucherJson.strict().parseVoucher(
                    utf8(voucherJson(VALID_LEAVES.replace("\"-_XE9zK9q8Ll1qylMtLKeg\"", "\"\""))))));
        }

        @Test
        void nonceAndExpiresOnAreExclusive() {
            assertEquals(Reason.INVALID_LEAF, reasonOf(() -> VoucherJson.strict().parseVoucher(
                    utf8(voucherJson(VALID_LEAVES + ",\"expires-on\":\"2022-01-01T00:00:00Z\"")))));
            assertThrows(IllegalArgumentException.class, () -> Voucher.builder().assertion(Assertion.LOGGED)
                    .serialNumber("s").pinnedDomainCert(CERT).nonce("n").expiresOn(CREATED).build());
        }

        @Test
        void lastRenewalDateNeedsExpiresOn() {
            assertEquals(Reason.INVALID_LEAF, reasonOf(() -> VoucherJson.strict().parseVoucher(
                    utf8(voucherJson(VALID_LEAVES + ",\"last-renewal-date\":\"2022-01-01T00:00:00Z\"")))));
        }

        @Test
        void oversizedInputIsRefusedBeforeParsing() {
            byte[] big = new byte[VoucherJson.DEFAULT_MAX_BYTES + 1];
            assertEquals(Reason.TOO_LARGE, reasonOf(() -> VoucherJson.strict().parseVoucher(big)));
            assertEquals(Reason.TOO_LARGE, reasonOf(() -> VoucherJson.strict().withMaxBytes(100)
                    .parseVoucher(utf8(voucherJson(VALID_LEAVES)))));
        }

        @Test
        void deeplyNestedJsonIsRefused() {
            String deep = "[".repeat(5000) + "]".repeat(5000);
            VoucherException e = assertThrows(VoucherException.class, () -> VoucherJson.strict().parseVoucher(
                    utf8(voucherJson(VALID_LEAVES + ",\"x\":" + deep))));
            assertEquals(Reason.MALFORMED_JSON, e.reason());
            assertTrue(e.getMessage().contains("nested"), e.getMessage());
            assertEquals(Reason.MALFORMED_JSON, reasonOf(() -> VoucherJson.lenient().withMaxDepth(3).parseVoucher(
                    utf8(voucherJson(VALID_LEAVES + ",\"x\":{\"y\":{}}")))));
        }

        @Test
        void overlongNumbersAreNamedAsSuchNotAsNesting() {
            String huge = "1".repeat(2000);
            VoucherException e = assertThrows(VoucherException.class, () -> VoucherJson.lenient().parseVoucher(
                    utf8(voucherJson(VALID_LEAVES + ",\"x\":" + huge))));
            assertEquals(Reason.MALFORMED_JSON, e.reason());
            assertFalse(e.getMessage().contains("nested"), e.getMessage());
            assertTrue(e.getMessage().contains("length"), e.getMessage());
        }

        @Test
        void leavesInvalidInARequestAreIgnored() throws VoucherException {
            VoucherRequest r = VoucherJson.strict().parseVoucherRequest(utf8("{\"ietf-voucher-request:voucher\":{"
                    + "\"serial-number\":\"A1\",\"pinned-domain-cert\":\"MIIB\",\"last-renewal-date\":\"x\","
                    + "\"domain-cert-revocation-checks\":true}}"));
            assertEquals("A1", r.serialNumber());
            assertTrue(r.unknownLeaves().isEmpty());
            assertFalse(r.createdOn().isPresent());
        }

        @Test
        void requestWithoutSerialNumberIsRefused() {
            assertEquals(Reason.MISSING_LEAF, reasonOf(() -> VoucherJson.strict().parseVoucherRequest(
                    utf8("{\"ietf-voucher-request:voucher\":{\"nonce\":\"abc\"}}"))));
        }

        @Test
        void problemCarriesStatusAndNamesTheLeaf() {
            VoucherException e = assertThrows(VoucherException.class, () -> VoucherJson.strict().parseVoucher(
                    utf8(voucherJson(VALID_LEAVES + ",\"bogus\":1"))));
            Problem p = e.problem();
            assertEquals(400, p.status());
            assertEquals("urn:brski:problem:unknown-leaf", p.type());
            String body = new String(p.toJson(), StandardCharsets.UTF_8);
            assertTrue(body.contains("\"status\":400") && body.contains("bogus"), body);
        }
    }

    @Nested
    class Lenient {
        @Test
        void keepsUnknownLeavesAndWritesThemBack() throws VoucherException {
            Voucher v = VoucherJson.lenient().parseVoucher(utf8(voucherJson(VALID_LEAVES
                    + ",\"vendor:flag\":{\"a\":[1,2]}")));
            assertEquals("{\"a\":[1,2]}", v.unknownLeaves().get("vendor:flag"));
            Voucher again = VoucherJson.lenient().parseVoucher(VoucherJson.toJson(v));
            assertEquals(v.toBuilder().createdOn(CREATED_S).build(), again);
        }

        @Test
        void acceptsAVoucherWithBothNonceAndExpiresOnAsNqmindsWritesIt() throws VoucherException {
            Voucher v = VoucherJson.lenient().parseVoucher(
                    utf8(voucherJson(VALID_LEAVES + ",\"expires-on\":\"2030-12-30T00:00:00Z\"")));
            assertEquals("-_XE9zK9q8Ll1qylMtLKeg", v.nonce().orElseThrow());
            assertEquals(OffsetDateTime.of(2030, 12, 30, 0, 0, 0, 0, ZoneOffset.UTC), v.expiresOn().orElseThrow());
            assertEquals(v, v.toBuilder().build());
        }

        @Test
        void acceptsAVoucherWithoutCreatedOnAndDatesWithoutTime() throws VoucherException {
            String noCreated = VALID_LEAVES.replace("\"created-on\":\"2021-04-13T17:43:24.589-04:00\",", "");
            assertFalse(VoucherJson.lenient().parseVoucher(utf8(voucherJson(noCreated))).createdOn().isPresent());
            Voucher dateOnly = VoucherJson.lenient().parseVoucher(utf8(voucherJson(
                    VALID_LEAVES.replace("2021-04-13T17:43:24.589-04:00", "2021-04-13"))));
            assertEquals(OffsetDateTime.of(2021, 4, 13, 0, 0, 0, 0, ZoneOffset.UTC), dateOnly.createdOn().orElseThrow());
        }

        @Test
        void acceptsLineBreaksInBase64AndTheVoucherRootForRequests() throws VoucherException {
            Voucher v = VoucherJson.lenient().parseVoucher(utf8(voucherJson(VALID_LEAVES.replace("MIIB", "MI\\nIB"))));
            assertArrayEquals(new byte[] {0x30, (byte) 0x82, 0x01}, v.pinnedDomainCert());
            VoucherRequest r = VoucherJson.lenient().parseVoucherRequest(
                    utf8("{\"ietf-voucher:voucher\":{\"serial-number\":\"A1\",\"nonce\":\"n\"}}"));
            assertEquals("A1", r.serialNumber());
        }

        @Test
        void stillRefusesPemAndMalformedValues() {
            assertEquals(Reason.INVALID_LEAF, reasonOf(() -> VoucherJson.lenient().parseVoucher(
                    utf8(voucherJson(VALID_LEAVES.replace("MIIB", "-----BEGIN CERTIFICATE-----"))))));
            assertEquals(Reason.INVALID_LEAF, reasonOf(() -> VoucherJson.lenient().parseVoucher(
                    utf8(voucherJson(VALID_LEAVES.replace("\"logged\"", "\"owned\""))))));
        }
    }
}
