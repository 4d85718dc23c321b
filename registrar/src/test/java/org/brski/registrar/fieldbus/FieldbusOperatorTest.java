package org.brski.registrar.fieldbus;

import static org.brski.registrar.Calls.assertProblem;
import static org.brski.registrar.Calls.get;
import static org.brski.registrar.Calls.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.brski.pki.PkiFiles;
import org.brski.pki.TestPki;
import org.brski.registrar.Calls;
import org.brski.registrar.Network;
import org.brski.registrar.RegistrarException;
import org.brski.registrar.cli.RegistrarCommand;
import org.brski.registrar.config.RegistrarConfig;
import org.brski.registrar.config.RegistrarYaml;
import org.brski.server.ConfigException;
import org.brski.server.db.DatabaseConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine;

/** The operator's side: label import, admin REST under /admin/fieldbus, the CLI and the YAML configuration. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FieldbusOperatorTest {
    private static final String KEY = "8f3a1c2b9e7d6054a1b2c3d4e5f60718";
    private Path dir;
    private Path store;
    private Network net;
    private FieldbusAdmin admin;
    private URI adminUri;
    private HttpClient operator;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("fieldbus-op");
        store = FieldbusTestKeys.createStore(dir);
        net = Network.withFieldbus(FileDomainKeyStore.load(store, FieldbusTestKeys.PASSWORD.toCharArray()),
                DatabaseConfig.h2Memory("fieldbus-op-" + UUID.randomUUID()));
        admin = net.registrar.registrar().fieldbus().orElseThrow().admin();
        adminUri = net.registrar.adminUri().orElseThrow();
        operator = net.client(Optional.of(net.admin));
    }

    @AfterAll
    void stop() throws Exception {
        net.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static String machine() {
        return "line-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static byte[] csv(String... lines) {
        return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static String detail(RegistrarException e) {
        return e.problem().detail();
    }

    @Test
    void labelsAreImportedStrictlyAllOrNothing() throws Exception {
        String m = machine();
        admin.addMachine(m, List.of("CTRL-" + m), false);
        String header = FieldbusAdmin.LABEL_HEADER;
        RegistrarException weak = assertThrows(RegistrarException.class, () -> admin.importLabels(m, csv(header,
                "1," + KEY + ",0x10", "2,00000000000000000000000000000000,0x11")));
        assertEquals("weak-key", weak.problem().type().toString().substring("urn:brski:problem:".length()));
        assertTrue(detail(weak).contains("line 3"), detail(weak));
        RegistrarException pattern = assertThrows(RegistrarException.class, () -> admin.importLabels(m, csv(header,
                "1,000102030405060708090a0b0c0d0e0f,0x10")));
        assertEquals(400, pattern.problem().status());
        for (byte[] bad : List.of(csv("serial,key,key-id", "1," + KEY + ",16"), csv(header, "1," + KEY),
                csv(header, "x1," + KEY + ",16"), csv(header, "1," + KEY.substring(2) + "zz,16"),
                csv(header, "4294967296," + KEY + ",16"), csv(header, "1," + KEY + ",0"),
                csv(header, "1," + KEY + ",16", "1,11d2e3f40516a7b8c9dae0f102132435,17"),
                csv(header, "1," + KEY + ",16", ""), csv(header), csv(header, "1," + KEY.substring(0, 30) + ",16"),
                csv(header, " 1," + KEY + ",16"))) {
            RegistrarException e = assertThrows(RegistrarException.class, () -> admin.importLabels(m, bad));
            assertEquals(400, e.problem().status(), detail(e));
            assertTrue(detail(e).contains("line"), detail(e));
        }
        assertTrue(admin.store().nodeKeys(m).isEmpty(), "no refused file stored anything");

        assertEquals(2, admin.importLabels(m, csv(header, "0xF0000001," + KEY.toUpperCase() + ",0x10",
                "42,11d2e3f40516a7b8c9dae0f1021324354657687a8b9cadbe,4096")));
        List<NodeKey> stored = admin.store().nodeKeys(m);
        assertEquals(List.of(42L, 0xF0000001L), stored.stream().map(NodeKey::nodeSerial).toList());
        assertTrue(stored.stream().allMatch(k -> k.source() == KeySource.LABEL));
        assertEquals(4096, stored.get(0).keyId());

        String other = machine();
        admin.addMachine(other, List.of("CTRL-" + other), false);
        assertEquals(409, assertThrows(RegistrarException.class, () -> admin.importLabels(other, csv(header,
                "43,c0ffee112233445566778899aabbcc0d,16", "42," + KEY + ",17"))).problem().status());
        assertTrue(admin.store().nodeKeys(other).isEmpty());
    }

    @Test
    void aProvisioningKeySharedByTwoNodesIsRefused() throws Exception {
        String m = machine();
        admin.addMachine(m, List.of("CTRL-" + m), false);
        String header = FieldbusAdmin.LABEL_HEADER;
        RegistrarException inFile = assertThrows(RegistrarException.class, () -> admin.importLabels(m, csv(header,
                "1," + KEY + ",0x10", "2," + KEY.toUpperCase() + ",0x11")));
        assertEquals("urn:brski:problem:duplicate-key", inFile.problem().type().toString());
        assertTrue(detail(inFile).contains("line 3"), detail(inFile));
        assertFalse(detail(inFile).toLowerCase(java.util.Locale.ROOT).contains(KEY), "no key in the problem");
        assertTrue(admin.store().nodeKeys(m).isEmpty(), "nothing stored");

        assertEquals(1, admin.importLabels(m, csv(header, "1," + KEY + ",0x10")));
        RegistrarException stored = assertThrows(RegistrarException.class, () -> admin.importLabels(m, csv(header,
                "3,11d2e3f40516a7b8c9dae0f102132435,0x12", "2," + KEY + ",0x11")));
        assertEquals("urn:brski:problem:duplicate-key", stored.problem().type().toString());
        assertEquals(List.of(1L), admin.store().nodeKeys(m).stream().map(NodeKey::nodeSerial).toList());
        // replacing node 1's own key by the same bytes (a re-imported label file) stays allowed
        assertEquals(1, admin.importLabels(m, csv(header, "1," + KEY + ",0x10")));
    }

    @Test
    void aLabelDoesNotReplaceAnEscrowedKey() throws Exception {
        String m = machine();
        admin.addMachine(m, List.of("CTRL-" + m), false);
        String header = FieldbusAdmin.LABEL_HEADER;
        assertEquals(1, admin.importLabels(m, csv(header, "0x777," + KEY + ",0x10")));
        // the node was restored and re-commissioned on a bench: its controller escrowed the new key
        byte[] benchKey = java.util.HexFormat.of().parseHex("3c5a9e17d2b84f6001a2b3c4d5e6f789");
        admin.storeProvisioningKeys(m, List.of(org.brski.fieldbus.keys.PackagedKey.provisioning(0x777, benchKey, 0x20)),
                KeySource.ESCROW);
        RegistrarException stale = assertThrows(RegistrarException.class,
                () -> admin.importLabels(m, csv(header, "0x777," + KEY + ",0x10")));
        assertEquals(409, stale.problem().status());
        assertEquals("urn:brski:problem:escrowed-key-present", stale.problem().type().toString());
        NodeKey kept = admin.store().nodeKeys(m).get(0);
        assertEquals(0x20, kept.keyId());
        assertEquals(KeySource.ESCROW, kept.source());
    }

    @Test
    void machineRulesAreChecked() throws Exception {
        assertEquals(400, assertThrows(RegistrarException.class,
                () -> admin.addMachine("bad id", List.of("C"), false)).problem().status());
        assertEquals(400, assertThrows(RegistrarException.class,
                () -> admin.addMachine(machine(), List.of(), false)).problem().status());
        assertEquals(400, assertThrows(RegistrarException.class,
                () -> admin.addMachine(machine(), List.of("C", "C"), false)).problem().status());
        assertEquals(404, assertThrows(RegistrarException.class, () -> admin.rotate("absent")).problem().status());
        String m = machine();
        admin.addMachine(m, List.of("CTRL-" + m), false);
        assertEquals(404, assertThrows(RegistrarException.class, () -> admin.revoke(m, 7)).problem().status());
        admin.rotate(m);
        KeyRevision current = admin.revoke(m, 1);
        assertEquals(2, current.revision(), "revoking a retired revision does not rotate");
        assertEquals(RevisionState.REVOKED, admin.store().revision(m, 1).orElseThrow().state());
    }

    private HttpResponse<byte[]> adminPost(String path, String body, String type) throws Exception {
        return post(operator, adminUri, path, body.getBytes(StandardCharsets.UTF_8), type);
    }

    private static JsonNode json(HttpResponse<byte[]> r) throws Exception {
        assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        return Calls.JSON.readTree(r.body());
    }

    @Test
    void adminApiManagesMachines() throws Exception {
        String m = machine();
        JsonNode added = json(adminPost("/admin/fieldbus/machines", "{\"id\":\"" + m + "\",\"controllers\":[\"CTRL-"
                + m + "\"],\"operatorKey\":true}", "application/json"));
        assertEquals(1, added.get("currentRevision").asInt());
        assertTrue(json(get(operator, adminUri, "/admin/fieldbus/machines")).toString().contains(m));
        json(adminPost("/admin/fieldbus/machines/" + m + "/labels", FieldbusAdmin.LABEL_HEADER + "\n5," + KEY
                + ",0x55\n", "text/csv"));
        JsonNode rotated = json(adminPost("/admin/fieldbus/machines/" + m + "/rotate", "", null));
        assertEquals(2, rotated.get("revision").asInt());
        assertTrue(rotated.get("integratorKeyId").asText().matches("0x[0-9A-F]{8}"));
        JsonNode status = json(get(operator, adminUri, "/admin/fieldbus/machines/" + m));
        assertEquals(2, status.get("current").get("revision").asInt());
        assertEquals("0x00000055", status.get("nodes").get(0).get("provisioningKeyId").asText());
        assertTrue(status.get("nodes").get(0).get("stale").asBoolean());
        assertFalse(status.toString().contains(KEY), "no key material in the admin API");
        JsonNode removed = json(adminPost("/admin/fieldbus/machines/" + m + "/nodes/5/remove", "", null));
        assertEquals(3, removed.get("revision").asInt());
        assertEquals(3, json(adminPost("/admin/fieldbus/machines/" + m + "/revisions/1/revoke", "", null))
                .get("revision").asInt());

        assertProblem(adminPost("/admin/fieldbus/machines", "{\"id\":\"" + m + "\",\"controllers\":[\"X\"]}",
                "application/json"), 409, "machine-exists");
        assertProblem(adminPost("/admin/fieldbus/machines", "{\"id\":1}", "application/json"), 400,
                "invalid-machine");
        assertProblem(adminPost("/admin/fieldbus/machines/" + m + "/labels", "serial\n", "text/csv"), 400,
                "bad-label-file");
        assertProblem(adminPost("/admin/fieldbus/machines/" + m + "/revisions/x/revoke", "", null), 400,
                "bad-number");
        assertProblem(adminPost("/admin/fieldbus/machines/" + m + "/nodes/0x5X/remove", "", null), 400,
                "bad-number");
        // node 5 (removed above) in 0x hex: parsed, then unknown
        assertEquals(404, adminPost("/admin/fieldbus/machines/" + m + "/nodes/0x5/remove", "", null).statusCode());
        assertProblem(get(operator, adminUri, "/admin/fieldbus/machines/absent"), 404, "unknown-machine");
        assertProblem(adminPost("/admin/fieldbus/machines/" + m + "/explode", "", null), 404, "not-found");
    }

    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new CommandLine(new RegistrarCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void cliWorksOnTheDatabaseWithTheMasterKeyStore() throws Exception {
        Path cli = Files.createDirectory(dir.resolve("cli"));
        Path password = Files.writeString(cli.resolve("pw"), "cli password\n");
        Path master = cli.resolve("master.p12");
        Result init = run("fieldbus", "init-master", "--out", master.toString(), "--password-file",
                password.toString());
        assertEquals(0, init.code(), init.err());
        Result again = run("fieldbus", "init-master", "--out", master.toString(), "--password-file",
                password.toString());
        assertEquals(2, again.code());
        assertTrue(again.err().contains("never overwritten"), again.err());
        // an unreadable password file is named as such, not as a problem of --out
        Result noPassword = run("fieldbus", "init-master", "--out", cli.resolve("other.p12").toString(),
                "--password-file", cli.resolve("missing-pw").toString());
        assertEquals(2, noPassword.code());
        assertTrue(noPassword.err().contains("--password-file") && !noPassword.err().contains("--out"),
                noPassword.err());
        assertFalse(Files.exists(cli.resolve("other.p12")));

        String db = "jdbc:h2:mem:fbcli-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        String[] common = {"--database", db, "--master-key-store", master.toString(),
            "--master-key-store-password-file", password.toString()};
        Result add = run(concat(new String[] {"fieldbus", "machines", "add", "cell-1", "--controller", "C1",
            "--operator-key"}, common));
        assertEquals(0, add.code(), add.err());
        assertTrue(add.out().contains("\"operatorKey\" : true"), add.out());
        Path labels = Files.writeString(cli.resolve("labels.csv"), FieldbusAdmin.LABEL_HEADER + "\n9," + KEY
                + ",0x99\n");
        Result imported = run(concat(new String[] {"fieldbus", "import-labels", "cell-1", labels.toString()}, common));
        assertEquals(0, imported.code(), imported.err());
        Result rotated = run(concat(new String[] {"fieldbus", "rotate", "cell-1"}, common));
        assertTrue(rotated.out().contains("revision 2"), rotated.out());
        Result revoked = run(concat(new String[] {"fieldbus", "revoke", "cell-1", "1"}, common));
        assertEquals(0, revoked.code(), revoked.err());
        Result badSerial = run(concat(new String[] {"fieldbus", "remove-node", "cell-1", "nine"}, common));
        assertEquals(2, badSerial.code());
        assertTrue(badSerial.err().contains("'nine' is not a node serial (UNSIGNED32, decimal or 0x hex)"),
                badSerial.err());
        // the serial as the label file may write it (0x hex), not only as status prints it (decimal)
        Result removed = run(concat(new String[] {"fieldbus", "remove-node", "cell-1", "0x9"}, common));
        assertEquals(0, removed.code(), removed.err());
        assertTrue(removed.out().contains("revision 3"), removed.out());
        Result status = run(concat(new String[] {"fieldbus", "status", "cell-1"}, common));
        assertTrue(status.out().contains("\"state\" : \"revoked\""), status.out());
        assertTrue(run(concat(new String[] {"fieldbus", "machines", "list"}, common)).out().contains("cell-1"));
        Result unknown = run(concat(new String[] {"fieldbus", "status", "nope"}, common));
        assertEquals(1, unknown.code());
        assertTrue(unknown.err().contains("no machine 'nope'"), unknown.err());
        Files.writeString(password, "wrong\n");
        Result wrong = run(concat(new String[] {"fieldbus", "machines", "list"}, common));
        assertEquals(2, wrong.code());
        assertTrue(wrong.err().contains("wrong password"), wrong.err());
        assertFalse(wrong.err().contains("cli password"));
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void yamlConfigurationOpensTheStoreAndNamesTheKeyAtFault() throws Exception {
        TestPki pki = TestPki.builder().pledges(0).build();
        Path cfg = Files.createDirectory(dir.resolve("yaml"));
        PkiFiles.write(pki, cfg.resolve("pki"), false);
        Files.copy(store, cfg.resolve("master.p12"));
        Files.writeString(cfg.resolve("master.pass"), FieldbusTestKeys.PASSWORD + "\n");
        Path file = cfg.resolve("registrar.yaml");
        String base = "tls: { cert: pki/registrar-chain.pem, key: pki/registrar.key }\n"
                + "domainCa: { cert: pki/domain-ca.pem, key: pki/domain-ca.key }\n";
        Files.writeString(file, base + "fieldbus: { masterKeyStore: master.p12, masterKeyStorePasswordFile:"
                + " master.pass }\n");
        RegistrarConfig config = RegistrarYaml.load(file).resolve(cfg, Optional.empty());
        assertTrue(config.fieldbus().isPresent());
        assertTrue(config.fieldbus().get().integratorKey("m", 1).sameKey(
                FieldbusTestKeys.independentDerivation(store).integratorKey("m", 1)));

        Files.writeString(file, base + "fieldbus: { masterKeyStore: absent.p12, masterKeyStorePasswordFile:"
                + " master.pass }\n");
        ConfigException missing = assertThrows(ConfigException.class,
                () -> RegistrarYaml.load(file).resolve(cfg, Optional.empty()));
        assertEquals(Optional.of("fieldbus.masterKeyStore"), missing.key());
        Files.writeString(file, base + "fieldbus: { masterKeyStore: master.p12 }\n");
        assertEquals(Optional.of("fieldbus.masterKeyStorePasswordFile"), assertThrows(ConfigException.class,
                () -> RegistrarYaml.load(file).resolve(cfg, Optional.empty())).key());
        Files.writeString(file, base + "fieldbus: { masterKeyStore: master.p12, password: x }\n");
        assertThrows(ConfigException.class, () -> RegistrarYaml.load(file));
        Files.writeString(file, base);
        assertTrue(RegistrarYaml.load(file).resolve(cfg, Optional.empty()).fieldbus().isEmpty());
    }

    @Test
    void withoutTheServiceTheEndpointsAreNotRouted() throws Exception {
        try (Network plain = new Network()) {
            HttpResponse<byte[]> r = get(plain.client(Optional.empty()), plain.registrar.uri(),
                    "/brski-fieldbus/v1/key-package");
            assertEquals(404, r.statusCode());
            assertTrue(plain.registrar.registrar().fieldbus().isEmpty());
        }
    }
}
