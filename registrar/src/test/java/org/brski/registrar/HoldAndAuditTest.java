package org.brski.registrar;

import static org.brski.registrar.Calls.assertProblem;
import static org.brski.registrar.Calls.csr;
import static org.brski.registrar.Calls.post;
import static org.brski.registrar.VoucherFlowTest.ecKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

import org.brski.pki.HeldCertificate;
import org.brski.registrar.store.AuditResult;
import org.brski.registrar.store.Device;
import org.brski.server.db.DatabaseConfig;
import org.brski.voucher.VoucherCms;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Long holds (RFC 8995 5.6: the pledge resends the same request, maybe hours later) and audit-log enforcement
 * (5.8.3: a violating log refuses the voucher and every EST request), on a registrar whose clock the test moves.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HoldAndAuditTest {
    private final MutableClock clock = new MutableClock();
    private Network net;
    private URI base;

    @BeforeAll
    void start() throws Exception {
        net = new Network(DatabaseConfig.h2Memory("hold-" + UUID.randomUUID()), clock);
        base = net.registrar.uri();
    }

    @AfterAll
    void stop() {
        net.close();
    }

    private Device device(String serial) throws Exception {
        return net.registrar.registrar().store().device(serial).orElseThrow();
    }

    @Test
    void theSameHeldRequestIsAcceptedAfterALongApprovalButNotAFreshlyStaleOne() throws Exception {
        HeldCertificate idevid = Network.pledge("OK-LONGHOLD", net.holdCa, null);
        OffsetDateTime created = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        byte[] held = net.pvr(idevid, "OK-LONGHOLD", "long-hold", net.pki.registrar().certificate().getEncoded(),
                created);
        byte[] other = net.pvr(idevid, "OK-LONGHOLD", "other", net.pki.registrar().certificate().getEncoded(),
                created);
        var client = net.client(Optional.of(idevid));
        assertEquals(202, post(client, base, "/.well-known/brski/requestvoucher", held, VoucherCms.MEDIA_TYPE)
                .statusCode());
        clock.advance(Duration.ofHours(3));
        net.registrar.registrar().admin().approve("OK-LONGHOLD");
        assertProblem(post(client, base, "/.well-known/brski/requestvoucher", other, VoucherCms.MEDIA_TYPE), 403,
                "stale-request");
        HttpResponse<byte[]> retried = post(client, base, "/.well-known/brski/requestvoucher", held,
                VoucherCms.MEDIA_TYPE);
        assertEquals(200, retried.statusCode(), new String(retried.body(), StandardCharsets.UTF_8));
        assertEquals(1, device("OK-LONGHOLD").vouchers());
        assertProblem(post(client, base, "/.well-known/brski/requestvoucher", held, VoucherCms.MEDIA_TYPE), 403,
                "stale-request");
        assertEquals(1, device("OK-LONGHOLD").vouchers(), "once its voucher is issued the held request is stale");
    }

    @Test
    void violatingAuditLogRefusesTheVoucherAndEnrollment() throws Exception {
        HeldCertificate idevid = Network.pledge("AUDIT-1", net.fakeCa, null);
        var client = net.client(Optional.of(idevid));
        byte[] pvr = net.pvr(idevid, "AUDIT-1", "audit-n", net.pki.registrar().certificate().getEncoded(),
                OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC));
        assertProblem(post(client, base, "/.well-known/brski/requestvoucher", pvr, VoucherCms.MEDIA_TYPE), 406,
                "audit-log-violation");
        AuditResult audit = device("AUDIT-1").audit().orElseThrow();
        assertEquals(AuditResult.Outcome.VIOLATION, audit.outcome());
        assertTrue(audit.summary().contains("other domains") && audit.summary().contains("nonceless"),
                audit.summary());
        assertProblem(post(client, base, "/.well-known/est/simpleenroll", csr(ecKey(), "CN=x"), "application/pkcs10"),
                403, "audit-log-violation");
        assertEquals(0, device("AUDIT-1").certificates());
    }

    @Test
    void unavailableAuditLogDoesNotBlock() throws Exception {
        HeldCertificate idevid = Network.pledge("OK-NOLOG", net.fakeCa, null);
        byte[] pvr = net.pvr(idevid, "OK-NOLOG", "nolog", net.pki.registrar().certificate().getEncoded(),
                OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC));
        assertEquals(200, post(net.client(Optional.of(idevid)), base, "/.well-known/brski/requestvoucher", pvr,
                VoucherCms.MEDIA_TYPE).statusCode());
        assertEquals(AuditResult.Outcome.UNAVAILABLE, device("OK-NOLOG").audit().orElseThrow().outcome());
    }

    /**
     * The MASA judges an audit-log request's created-on (a captured request must not replay the log): an audit asked
     * for long after the voucher sends the stored request signed anew, not the stale original.
     */
    @Test
    void anAuditAskedForLaterSendsAFreshRequest() throws Exception {
        MutableClock clock = new MutableClock();
        try (Network late = Network.withClocks(clock, clock)) {
            HeldCertificate idevid = late.acmePledge("ACME-LATE");
            assertEquals(200, Calls.post(late.client(java.util.Optional.of(idevid)), late.registrar.uri(),
                    "/.well-known/brski/requestvoucher", late.pvr(idevid, "n-late"),
                    org.brski.voucher.VoucherCms.MEDIA_TYPE).statusCode());
            clock.advance(java.time.Duration.ofHours(1));
            AuditResult result = late.registrar.registrar().admin().audit("ACME-LATE");
            assertEquals(AuditResult.Outcome.PASSED, result.outcome(), result.toString());
        }
    }
}
