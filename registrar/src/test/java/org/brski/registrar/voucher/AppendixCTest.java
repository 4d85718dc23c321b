package org.brski.registrar.voucher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import org.brski.pkix.Pem;
import org.brski.registrar.masa.AuditPolicy;
import org.brski.registrar.masa.MasaClient;
import org.brski.registrar.masa.MasaEndpoint;
import org.brski.registrar.masa.MasaResponse;
import org.brski.registrar.policy.Manufacturer;
import org.brski.registrar.policy.StoreAdmissionPolicy;
import org.brski.registrar.store.JdbcRegistrarStore;
import org.brski.registrar.store.RegistrarStore;
import org.brski.server.db.Database;
import org.brski.server.db.DatabaseConfig;
import org.brski.server.db.Databases;
import org.brski.server.tls.TlsIdentity;
import org.brski.voucher.VoucherCms;
import org.brski.voucher.VoucherJson;
import org.brski.voucher.VoucherRequest;
import org.brski.voucher.cms.CmsVerifier;
import org.junit.jupiter.api.Test;

/**
 * The registrar core on the RFC 8995 Appendix C artifacts: the C.2.1 pledge voucher-request, signed by an older IDevID
 * of the same key than the C.1.5 IDevID the pledge presents at TLS, is accepted; the registrar voucher-request carries
 * it byte for byte; the C.2.3 voucher (id-data content, nonce in base64url, registrar EE pinned) is accepted and
 * returned unchanged. The published vectors (keys
 * included: they are public example data) are copied under {@code src/test/resources/rfc8995}.
 */
class AppendixCTest {
    private static final Path VECTORS = Path.of("src", "test", "resources", "rfc8995");
    private static final Instant AT = Instant.parse("2021-04-28T00:00:00Z");

    private static Path file(String name) {
        return VECTORS.resolve(name);
    }

    @Test
    void appendixCRequestAndVoucherPassTheRegistrar() throws Exception {
        var manufacturerCa = Pem.readCertificate(file("c1-1-manufacturer-ca-cert.pem"));
        var domainCa = Pem.readCertificate(file("c1-3-registrar-ca-cert.pem"));
        var registrarCert = Pem.readCertificate(file("c1-4-registrar-cert.pem"));
        var idevid = Pem.readCertificate(file("c1-5-pledge-idevid-cert.pem"));
        byte[] pvr = Files.readAllBytes(file("c2-1-pvr.der"));
        byte[] voucher = Files.readAllBytes(file("c2-3-voucher.der"));
        TlsIdentity registrar = TlsIdentity.of(Pem.readPrivateKey(file("c1-4-registrar-key.pkcs8.pem")), registrarCert,
                List.of(domainCa));
        Clock clock = Clock.fixed(AT, ZoneOffset.UTC);

        try (Database db = Databases.open(DatabaseConfig.h2Memory("appendix-c-" + UUID.randomUUID()),
                JdbcRegistrarStore.MIGRATIONS, JdbcRegistrarStore.HISTORY_TABLE)) {
            RegistrarStore store = JdbcRegistrarStore.of(db.dataSource(), clock);
            store.putManufacturer(Manufacturer.trusted("highway", manufacturerCa));
            AtomicReference<byte[]> sent = new AtomicReference<>();
            MasaClient masa = new MasaClient() {
                @Override
                public MasaResponse requestVoucher(MasaEndpoint endpoint, byte[] rvr) {
                    sent.set(rvr);
                    return new MasaResponse(200, java.util.Optional.of(VoucherCms.MEDIA_TYPE), voucher);
                }

                @Override
                public MasaResponse requestAuditLog(MasaEndpoint endpoint, byte[] rvr) {
                    return new MasaResponse(404, java.util.Optional.empty(), new byte[0]);
                }

                @Override
                public void close() {
                }
            };
            VoucherSettings settings = new VoucherSettings(65536, 65536, Duration.ofDays(30), Duration.ofMinutes(2),
                    false, false, Duration.ofSeconds(30), AuditPolicy.strict());
            VoucherService service = VoucherService.create(store, new StoreAdmissionPolicy(store, clock), masa,
                    registrar, domainCa, settings, clock);

            VoucherOutcome outcome = service.requestVoucher(pvr, List.of(idevid, manufacturerCa));
            assertArrayEquals(voucher, assertInstanceOf(VoucherOutcome.Issued.class, outcome).voucher());

            VoucherRequest rvr = VoucherCms.verifyVoucherRequest(CmsVerifier.trusting(List.of(domainCa)).at(AT),
                    VoucherJson.strict(), sent.get()).artifact();
            assertArrayEquals(pvr, rvr.priorSignedVoucherRequest().orElseThrow());
            assertEquals("-_XE9zK9q8Ll1qylMtLKeg", rvr.nonce().orElseThrow());
            assertEquals("00-D0-E5-F2-00-02", rvr.serialNumber());
            assertEquals(1, store.device("00-D0-E5-F2-00-02").orElseThrow().vouchers());
        }
    }
}
