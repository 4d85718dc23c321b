package org.brski.registrar;

import static org.brski.registrar.Calls.csr;
import static org.brski.registrar.Calls.post;
import static org.brski.registrar.VoucherFlowTest.ecKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.brski.pki.HeldCertificate;
import org.brski.registrar.policy.Approval;
import org.brski.server.db.DatabaseConfig;
import org.brski.voucher.VoucherCms;
import org.junit.jupiter.api.Test;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/** Two registrar instances on one PostgreSQL behave as one registrar: no state lives only in memory. */
class SharedPostgresTest {
    @Test
    void aPledgeMayMoveBetweenInstances() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            DatabaseConfig db = new DatabaseConfig(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "", 4);
            try (Network net = new Network(db); RegistrarServer second = RegistrarServer.start(net.config)) {
                HeldCertificate idevid = Network.pledge("OK-SHARED", net.holdCa, null);
                var client = net.client(Optional.of(idevid));
                byte[] pvr = net.pvr(idevid, "shared-nonce");
                assertEquals(202, post(client, net.registrar.uri(), "/.well-known/brski/requestvoucher", pvr,
                        VoucherCms.MEDIA_TYPE).statusCode());
                assertEquals(Approval.PENDING,
                        second.registrar().store().device("OK-SHARED").orElseThrow().approval());
                second.registrar().admin().approve("OK-SHARED");
                var voucher = post(client, second.uri(), "/.well-known/brski/requestvoucher", pvr,
                        VoucherCms.MEDIA_TYPE);
                assertEquals(200, voucher.statusCode(), new String(voucher.body(), StandardCharsets.UTF_8));
                var enrolled = post(client, net.registrar.uri(), "/.well-known/est/simpleenroll",
                        csr(ecKey(), "CN=shared"), "application/pkcs10");
                assertEquals(200, enrolled.statusCode(), new String(enrolled.body(), StandardCharsets.UTF_8));
                var device = second.registrar().store().device("OK-SHARED").orElseThrow();
                assertEquals(1, device.vouchers());
                assertEquals(1, device.certificates());
                assertTrue(device.idevid().isPresent());
            }
        }
    }
}
