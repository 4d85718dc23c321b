package org.brski.masa.voucher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.brski.masa.MasaException;
import org.brski.masa.Refusal;
import org.brski.masa.store.Device;
import org.brski.masa.store.JdbcMasaStore;
import org.brski.masa.store.MasaStore;
import org.brski.masa.store.Ownership;
import org.brski.pkix.Pem;
import org.brski.server.db.Database;
import org.brski.server.db.DatabaseConfig;
import org.brski.server.db.Databases;
import org.brski.voucher.Assertion;
import org.brski.voucher.Voucher;
import org.brski.voucher.VoucherJson;
import org.brski.voucher.cms.CmsVerifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The transport-free core on the RFC 8995 Appendix C artifacts of another implementation (Minerva): its registrar
 * voucher-request is accepted, and the voucher pins what the policy says, verifiable with the manufacturer CA.
 */
class AppendixCTest {
    private static final Path VECTORS = Path.of("src", "test", "resources", "rfc8995");
    private static final String SERIAL = "00-D0-E5-F2-00-02";
    private static final String NONCE = "-_XE9zK9q8Ll1qylMtLKeg";
    /** Seven seconds after the RVR's created-on (2021-04-13T21:43:23.787Z): every certificate is valid. */
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2021-04-13T21:43:30Z"), ZoneOffset.UTC);

    private static Path vectors;
    private static X509Certificate manufacturerCa;
    private static VoucherSigningKey masaKey;
    private static byte[] rvr;

    @BeforeAll
    static void load() throws Exception {
        vectors = VECTORS;
        manufacturerCa = Pem.readCertificate(vectors.resolve("c1-1-manufacturer-ca-cert.pem"));
        masaKey = VoucherSigningKey.fromPem(vectors.resolve("c1-2-masa-cert.pem"),
                vectors.resolve("c1-2-masa-key.pkcs8.pem"));
        rvr = Files.readAllBytes(vectors.resolve("c2-2-rvr.der"));
    }

    /** A fresh database per test: the vectors' nonce may be used once per device. */
    private Database database;

    @BeforeEach
    void open() throws Exception {
        database = Databases.open(DatabaseConfig.h2Memory("appendix-c-" + UUID.randomUUID()),
                JdbcMasaStore.MIGRATIONS, JdbcMasaStore.HISTORY_TABLE);
    }

    @AfterEach
    void close() {
        database.close();
    }

    private VoucherIssuer issuer(MasaPolicy.Pin pin, Ownership ownership) throws Exception {
        MasaStore store = new JdbcMasaStore(database.dataSource());
        String serial = SERIAL;
        store.addDevice(new Device(serial, Ownership.byDefault(), OffsetDateTime.now(ZoneOffset.UTC)));
        store.setOwnership(serial, ownership);
        MasaPolicy policy = MasaPolicy.builder().manufacturerAnchors(List.of(manufacturerCa)).pin(pin).build();
        return new VoucherIssuer(policy, store, masaKey, CLOCK);
    }

    private static Voucher verify(MasaResponse response) throws Exception {
        return VoucherJson.strict().parseVoucher(CmsVerifier.trusting(List.of(manufacturerCa))
                .at(CLOCK.instant()).verify(response.body()).content());
    }

    @Test
    void minervasRegistrarRequestGetsAVoucherPinningTheRegistrarLikeAppendixC() throws Exception {
        VoucherIssuer issuer = issuer(MasaPolicy.Pin.REGISTRAR, Ownership.open());
        MasaResponse response = issuer.requestVoucher(MasaRequest.of(rvr, "application/voucher-cms+json",
                "application/voucher-cms+json", List.of()));
        Voucher voucher = verify(response);
        assertEquals(SERIAL, voucher.serialNumber());
        assertEquals(Optional.of(NONCE), voucher.nonce());
        assertEquals(Assertion.LOGGED, voucher.assertion());
        assertArrayEquals(Pem.readCertificate(vectors.resolve("c1-4-registrar-cert.pem")).getEncoded(),
                voucher.pinnedDomainCert());

        MasaException replay = assertThrows(MasaException.class, () -> issuer.requestVoucher(MasaRequest.of(rvr,
                "application/voucher-cms+json", null, List.of())));
        assertEquals(Refusal.NONCE_REPLAYED, replay.refusal());
    }

    @Test
    void ownerBoundToMinervasDomainCaGetsAVerifiedVoucherPinningThatCa() throws Exception {
        X509Certificate domainCa = Pem.readCertificate(vectors.resolve("c1-3-registrar-ca-cert.pem"));
        VoucherIssuer issuer = issuer(MasaPolicy.Pin.DOMAIN_CA,
                Ownership.boundTo(org.brski.pkix.DeviceCertificates.keyIdentifier(domainCa)));
        Voucher voucher = verify(issuer.requestVoucher(MasaRequest.of(rvr, "application/voucher-cms+json",
                "*/*", List.of())));
        assertEquals(Assertion.VERIFIED, voucher.assertion());
        assertArrayEquals(domainCa.getEncoded(), voucher.pinnedDomainCert());
    }
}
