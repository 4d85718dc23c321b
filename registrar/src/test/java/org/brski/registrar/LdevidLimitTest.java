package org.brski.registrar;

import static org.brski.registrar.Calls.assertProblem;
import static org.brski.registrar.Calls.certsOnly;
import static org.brski.registrar.Calls.csr;
import static org.brski.registrar.Calls.post;
import static org.brski.registrar.VoucherFlowTest.ecKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

import org.brski.pki.HeldCertificate;
import org.brski.registrar.est.EstSettings;
import org.brski.voucher.VoucherCms;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The per-device LDevID cap: enroll, serverkeygen and re-enroll count together; the excess is 403 ldevid-limit. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LdevidLimitTest {
    private static final int LIMIT = 3;
    private Network net;

    @BeforeAll
    void start() throws Exception {
        net = Network.withEst(EstSettings.defaults().withMaxLdevidsPerDevice(LIMIT));
    }

    @AfterAll
    void stop() {
        net.close();
    }

    private HttpResponse<byte[]> est(HttpClient client, String operation, byte[] csr) throws Exception {
        return post(client, net.registrar.uri(), "/.well-known/est/" + operation, csr, "application/pkcs10");
    }

    private int certificates(String serial) throws Exception {
        return net.registrar.registrar().store().device(serial).orElseThrow().certificates();
    }

    @Test
    void aDeviceGetsAtMostTheConfiguredNumberOfLdevids() throws Exception {
        HeldCertificate idevid = net.acmePledge("LIMIT-1");
        HttpClient pledge = net.client(Optional.of(idevid));
        assertEquals(200, post(pledge, net.registrar.uri(), "/.well-known/brski/requestvoucher",
                net.pvr(idevid, "n-limit"), VoucherCms.MEDIA_TYPE).statusCode());
        KeyPair key = ecKey();
        HttpResponse<byte[]> first = est(pledge, "simpleenroll", csr(key, "CN=limit"));
        assertEquals(200, first.statusCode(), () -> new String(first.body(), StandardCharsets.UTF_8));
        X509Certificate ldevid = certsOnly(first.body()).get(0);
        assertEquals(200, est(pledge, "serverkeygen", csr(ecKey(), "CN=limit")).statusCode());
        HttpClient current = net.client(Optional.of(HeldCertificate.of(key.getPrivate(), ldevid,
                List.of(net.pki.domainCa().certificate()))));
        byte[] renewal = csr(ecKey(), ldevid.getSubjectX500Principal().getName());
        HttpResponse<byte[]> renewed = est(current, "simplereenroll", renewal);
        assertEquals(200, renewed.statusCode(), () -> new String(renewed.body(), StandardCharsets.UTF_8));
        assertEquals(LIMIT, certificates("LIMIT-1"));

        String detail = assertProblem(est(pledge, "simpleenroll", csr(ecKey(), "CN=limit")), 403, "ldevid-limit")
                .get("detail").asText();
        assertTrue(detail.contains("LIMIT-1") && detail.contains(String.valueOf(LIMIT)), detail);
        assertProblem(est(pledge, "serverkeygen", csr(ecKey(), "CN=limit")), 403, "ldevid-limit");
        assertProblem(est(current, "simplereenroll", renewal), 403, "ldevid-limit");
        assertEquals(LIMIT, certificates("LIMIT-1"), "nothing issued past the limit");
    }
}
