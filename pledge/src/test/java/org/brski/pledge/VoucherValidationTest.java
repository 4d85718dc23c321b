package org.brski.pledge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.brski.pkix.Pem;
import org.brski.pledge.PledgeException.Reason;
import org.junit.jupiter.api.Test;

/** The pledge's voucher checks on the one published third-party set of artifacts, RFC 8995 Appendix C. */
class VoucherValidationTest {
    static final Path VECTORS = Path.of("src", "test", "resources", "rfc8995");
    static final Instant AT = Instant.parse("2021-04-28T00:00:00Z");
    static final String NONCE = "-_XE9zK9q8Ll1qylMtLKeg";

    static X509Certificate cert(String name) throws Exception {
        return Pem.readCertificate(resolve(name));
    }

    static Path resolve(String name) {
        return VECTORS.resolve(name);
    }

    static VoucherValidation validation(X509Certificate anchor, PledgeOptions options) throws Exception {
        X509Certificate idevid = cert("c1-5-pledge-idevid-cert.pem");
        return new VoucherValidation(List.of(anchor), idevid, "00-D0-E5-F2-00-02", options);
    }

    static PledgeOptions at(Instant instant) {
        return PledgeOptions.builder().clock(Clock.fixed(instant, ZoneOffset.UTC)).build();
    }

    @Test
    void acceptsTheAppendixCVoucherAndItsRegistrar() throws Exception {
        byte[] voucher = Files.readAllBytes(resolve("c2-3-voucher.der"));
        VoucherValidation.Checked checked = validation(cert("c1-1-manufacturer-ca-cert.pem"), at(AT))
                .check(voucher, NONCE);
        assertEquals(cert("c1-4-registrar-cert.pem"), checked.pinnedDomainCert(), "Appendix C pins the registrar");
        // 5.6.2: the registrar's TLS certificate equals the pin (an EE pin), and its domain CA is consistent with it
        DomainTrust.checkRegistrar(List.of(cert("c1-4-registrar-cert.pem")), checked.pinnedDomainCert(), TrustTime.at(AT));
        assertEquals(List.of(cert("c1-3-registrar-ca-cert.pem")), DomainTrust.anchorsFor(
                List.of(cert("c1-3-registrar-ca-cert.pem")), List.of(checked.pinnedDomainCert()), TrustTime.at(AT)));
        // base64 bodies are accepted too
        validation(cert("c1-1-manufacturer-ca-cert.pem"), at(AT)).check(Files.readAllBytes(resolve("c2-3-voucher.b64")),
                NONCE);
    }

    @Test
    void refusesTheAppendixCVoucherForAnotherNonceAnchorOrTime() throws Exception {
        byte[] voucher = Files.readAllBytes(resolve("c2-3-voucher.der"));
        assertEquals(Reason.VOUCHER_NONCE_MISMATCH, assertThrows(PledgeException.class,
                () -> validation(cert("c1-1-manufacturer-ca-cert.pem"), at(AT)).check(voucher, "-_XE9zK9q8Ll1qylMtLKeh"))
                .reason());
        assertEquals(Reason.VOUCHER_UNTRUSTED, assertThrows(PledgeException.class,
                () -> validation(cert("c1-3-registrar-ca-cert.pem"), at(AT)).check(voucher, NONCE)).reason(),
                "the domain CA is no MASA anchor");
        assertEquals(Reason.VOUCHER_UNTRUSTED, assertThrows(PledgeException.class,
                () -> validation(cert("c1-1-manufacturer-ca-cert.pem"), at(Instant.parse("2024-01-01T00:00:00Z")))
                        .check(voucher, NONCE)).reason(), "the MASA certificate has expired by 2024");
    }

    @Test
    void refusesARegistrarCertificateThePinDoesNotCover() throws Exception {
        PledgeException e = assertThrows(PledgeException.class, () -> DomainTrust.checkRegistrar(
                List.of(cert("c1-2-masa-cert.pem")), cert("c1-3-registrar-ca-cert.pem"), TrustTime.at(AT)));
        assertEquals(Reason.REGISTRAR_NOT_PINNED, e.reason());
        // the domain CA as pin covers the registrar certificate issued by it
        DomainTrust.checkRegistrar(List.of(cert("c1-4-registrar-cert.pem")), cert("c1-3-registrar-ca-cert.pem"), TrustTime.at(AT));
    }

    static PledgeOptions withoutClock(Instant instant) {
        return PledgeOptions.builder().clock(Clock.fixed(instant, ZoneOffset.UTC)).trustedClock(false).build();
    }

    static final Instant EPOCH = Instant.EPOCH;

    @Test
    void withoutATrustedClockTheAppendixCVoucherIsAcceptedWhateverTheClockSays() throws Exception {
        byte[] voucher = Files.readAllBytes(resolve("c2-3-voucher.der"));
        X509Certificate manufacturer = cert("c1-1-manufacturer-ca-cert.pem");
        // with a trusted clock, 1970 is before the MASA certificate's validity and 2030 after it
        for (Instant wrong : List.of(EPOCH, Instant.parse("2030-01-01T00:00:00Z"))) {
            PledgeException e = assertThrows(PledgeException.class,
                    () -> validation(manufacturer, at(wrong)).check(voucher, NONCE));
            assertEquals(Reason.VOUCHER_UNTRUSTED, e.reason());
            assertTrue(e.getMessage().contains("not trusted at " + wrong), e.getMessage());
            VoucherValidation.Checked checked = validation(manufacturer, withoutClock(wrong)).check(voucher, NONCE);
            assertEquals(cert("c1-4-registrar-cert.pem"), checked.pinnedDomainCert());
            // 5.6.2 and 5.9.1 without a clock: the pin still decides
            DomainTrust.checkRegistrar(List.of(cert("c1-4-registrar-cert.pem")), cert("c1-3-registrar-ca-cert.pem"),
                    TrustTime.untrusted());
            assertEquals(Reason.REGISTRAR_NOT_PINNED, assertThrows(PledgeException.class,
                    () -> DomainTrust.checkRegistrar(List.of(cert("c1-2-masa-cert.pem")),
                            cert("c1-3-registrar-ca-cert.pem"), TrustTime.untrusted())).reason());
            assertEquals(List.of(cert("c1-3-registrar-ca-cert.pem")), DomainTrust.anchorsFor(
                    List.of(cert("c1-3-registrar-ca-cert.pem"), cert("c1-1-manufacturer-ca-cert.pem")),
                    List.of(checked.pinnedDomainCert()), TrustTime.untrusted()));
        }
    }

    @Test
    void withoutATrustedClockNonceAnchorAndSerialStillDecide() throws Exception {
        byte[] voucher = Files.readAllBytes(resolve("c2-3-voucher.der"));
        assertEquals(Reason.VOUCHER_NONCE_MISMATCH, assertThrows(PledgeException.class,
                () -> validation(cert("c1-1-manufacturer-ca-cert.pem"), withoutClock(EPOCH))
                        .check(voucher, "-_XE9zK9q8Ll1qylMtLKeh")).reason());
        assertEquals(Reason.VOUCHER_UNTRUSTED, assertThrows(PledgeException.class,
                () -> validation(cert("c1-3-registrar-ca-cert.pem"), withoutClock(EPOCH)).check(voucher, NONCE))
                .reason(), "the domain CA is no MASA anchor, whatever the time");
        VoucherValidation otherSerial = new VoucherValidation(List.of(cert("c1-1-manufacturer-ca-cert.pem")),
                cert("c1-5-pledge-idevid-cert.pem"), "00-D0-E5-F2-00-03", withoutClock(EPOCH));
        assertEquals(Reason.VOUCHER_SERIAL_MISMATCH, assertThrows(PledgeException.class,
                () -> otherSerial.check(voucher, NONCE)).reason());
    }

    @Test
    void trustTimeIsTheOnlyDecisionPoint() {
        PledgeOptions trusted = at(EPOCH);
        assertTrue(trusted.trustedClock());
        assertEquals(Optional.of(EPOCH), trusted.trustTime().now());
        PledgeOptions untrusted = withoutClock(EPOCH);
        assertFalse(untrusted.trustedClock());
        assertFalse(untrusted.trustTime().isTrusted());
        assertEquals(Optional.empty(), untrusted.trustTime().now());
        assertTrue(PledgeOptions.defaults().trustedClock(), "today's behaviour stays the default");
        assertTrue(untrusted.toBuilder().build().toString().contains("no trusted clock"));
    }
}
