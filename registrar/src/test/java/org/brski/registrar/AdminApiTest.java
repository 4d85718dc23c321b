package org.brski.registrar;

import static org.brski.registrar.Calls.assertProblem;
import static org.brski.registrar.Calls.get;
import static org.brski.registrar.Calls.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import org.brski.pki.HeldCertificate;
import org.brski.pkix.Pem;
import org.brski.server.config.Compat;
import org.brski.voucher.VoucherCms;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;

/** The admin REST API: separate port, admin client certificate required, same actions as the CLI. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminApiTest {
    private Network net;
    private URI admin;
    private HttpClient operator;

    @BeforeAll
    void start() throws Exception {
        net = new Network();
        admin = net.registrar.adminUri().orElseThrow();
        operator = net.client(Optional.of(net.admin));
    }

    @AfterAll
    void stop() {
        net.close();
    }

    private static JsonNode json(byte[] body) throws IOException {
        return Calls.JSON.readTree(body);
    }

    @Test
    void refusesClientsWithoutAnAdminCertificate() throws Exception {
        assertThrows(IOException.class, () -> get(net.client(Optional.empty()), admin, "/admin/devices"));
        HeldCertificate pledge = net.acmePledge("ADMIN-PLEDGE");
        assertThrows(IOException.class, () -> get(net.client(Optional.of(pledge)), admin, "/admin/devices"));
        assertTrue(net.registrar.registrar().store().device("ADMIN-PLEDGE").isEmpty());
    }

    @Test
    void manufacturersCanBeListedAddedDistrustedAndTrusted() throws Exception {
        var list = get(operator, admin, "/admin/manufacturers");
        assertEquals(200, list.statusCode());
        assertTrue(json(list.body()).toString().contains("\"name\":\"acme\""));

        HeldCertificate ca = Network.ca("Newco CA");
        String body = Calls.JSON.createObjectNode().put("name", "newco").put("caCert",
                Pem.encodeCertificate(ca.certificate())).put("mode", "hold").toString();
        var added = post(operator, admin, "/admin/manufacturers", body.getBytes(StandardCharsets.UTF_8),
                "application/json");
        assertEquals(200, added.statusCode(), new String(added.body(), StandardCharsets.UTF_8));
        assertEquals("hold", json(added.body()).get("mode").asText());

        assertEquals(200, post(operator, admin, "/admin/manufacturers/newco/distrust", new byte[0], null).statusCode());
        assertEquals(false, net.registrar.registrar().store().manufacturer("newco").orElseThrow().trusted());
        assertEquals(200, post(operator, admin, "/admin/manufacturers/newco/trust", new byte[0], null).statusCode());
        assertEquals(true, net.registrar.registrar().store().manufacturer("newco").orElseThrow().trusted());

        assertEquals("rfc8995", json(added.body()).get("masaDialect").asText());
        String nqBody = body.replace("\"mode\":\"hold\"", "\"masaDialect\":\"nqminds\"");
        var nq = post(operator, admin, "/admin/manufacturers", nqBody.getBytes(StandardCharsets.UTF_8),
                "application/json");
        assertEquals(200, nq.statusCode(), new String(nq.body(), StandardCharsets.UTF_8));
        assertEquals("nqminds", json(nq.body()).get("masaDialect").asText());
        assertEquals(Compat.NQMINDS, net.registrar.registrar().store().manufacturer("newco").orElseThrow()
                .masaDialect());
        for (String dialect : List.of("\"der\"", "7")) {
            assertProblem(post(operator, admin, "/admin/manufacturers", nqBody.replace("\"nqminds\"", dialect)
                    .getBytes(StandardCharsets.UTF_8), "application/json"), 400, "invalid-manufacturer");
        }
        assertEquals(Compat.NQMINDS, net.registrar.registrar().store().manufacturer("newco").orElseThrow()
                .masaDialect(), "a refused update changes nothing");

        assertProblem(post(operator, admin, "/admin/manufacturers/nobody/trust", new byte[0], null), 404,
                "unknown-manufacturer");
        assertProblem(post(operator, admin, "/admin/manufacturers", "{\"name\":\"x\"}".getBytes(StandardCharsets.UTF_8),
                "application/json"), 400, "invalid-manufacturer");
        String longUrl = Calls.JSON.createObjectNode().put("name", "longco").put("caCert",
                Pem.encodeCertificate(Network.ca("Longco CA").certificate()))
                .put("masaUrl", "https://masa.example/" + "a".repeat(2048)).toString();
        String detail = assertProblem(post(operator, admin, "/admin/manufacturers",
                longUrl.getBytes(StandardCharsets.UTF_8), "application/json"), 400, "invalid-manufacturer")
                .get("detail").asText();
        assertTrue(detail.contains("2048"), detail);
        assertTrue(net.registrar.registrar().store().manufacturer("longco").isEmpty());
        assertProblem(post(operator, admin, "/admin/manufacturers", body.replace("newco", "twin")
                .getBytes(StandardCharsets.UTF_8), "application/json"), 409, "duplicate-manufacturer-ca");
    }

    @Test
    void devicesCanBeListedShownApprovedDeniedAndAudited() throws Exception {
        HeldCertificate idevid = net.acmePledge("ADMIN-1");
        assertEquals(200, post(net.client(Optional.of(idevid)), net.registrar.uri(),
                "/.well-known/brski/requestvoucher", net.pvr(idevid, "admin-nonce"), VoucherCms.MEDIA_TYPE)
                .statusCode());
        JsonNode shown = json(get(operator, admin, "/admin/devices/ADMIN-1").body());
        assertEquals("auto", shown.get("approval").asText());
        assertEquals(1, shown.get("vouchers").asInt());
        assertTrue(shown.get("idevid").asText().startsWith("-----BEGIN CERTIFICATE-----"));
        assertEquals("passed", shown.get("audit").get("outcome").asText());

        JsonNode audited = json(post(operator, admin, "/admin/devices/ADMIN-1/audit", new byte[0], null).body());
        assertEquals("passed", audited.get("outcome").asText());

        assertEquals("denied", json(post(operator, admin, "/admin/devices/ADMIN-1/deny", new byte[0], null).body())
                .get("approval").asText());
        assertEquals("approved", json(post(operator, admin, "/admin/devices/FUTURE-9/approve", new byte[0], null)
                .body()).get("approval").asText());
        assertTrue(json(get(operator, admin, "/admin/devices").body()).toString().contains("FUTURE-9"));

        assertProblem(get(operator, admin, "/admin/devices/NOPE"), 404, "unknown-device");
        assertProblem(post(operator, admin, "/admin/devices/NOPE/audit", new byte[0], null), 404, "no-voucher");
        assertProblem(post(operator, admin, "/admin/devices/ADMIN-1/explode", new byte[0], null), 404, "not-found");
    }
}
