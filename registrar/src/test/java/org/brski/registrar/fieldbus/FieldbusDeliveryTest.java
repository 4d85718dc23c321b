package org.brski.registrar.fieldbus;

import static org.brski.registrar.Calls.assertProblem;
import static org.brski.registrar.Calls.certsOnly;
import static org.brski.registrar.Calls.csr;
import static org.brski.registrar.Calls.get;
import static org.brski.registrar.Calls.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.brski.fieldbus.FieldbusException;
import org.brski.fieldbus.KeyRole;
import org.brski.fieldbus.keys.DomainKeyDerivation;
import org.brski.fieldbus.keys.KeyPackageCms;
import org.brski.fieldbus.keys.PackagedKey;
import org.brski.fieldbus.keys.SymmetricKeyPackage;
import org.brski.pki.HeldCertificate;
import org.brski.pkix.Crypto;
import org.brski.registrar.Network;
import org.brski.server.db.DatabaseConfig;
import org.brski.voucher.VoucherCms;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The fieldbus key service end to end over real TLS: pledges enrol their LDevID through BRSKI/EST, become controllers
 * of machines, fetch key packages (opened with the LDevID key and compared with an independent derivation from the
 * master file), escrow Provisioning Keys and report; every refusal with its problem and nothing stored.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FieldbusDeliveryTest {
    private static final String KEY_PACKAGE = "/brski-fieldbus/v1/key-package";
    private static final String ESCROW = "/brski-fieldbus/v1/escrow";
    private static final String REPORT = "/brski-fieldbus/v1/report";
    private static final byte[] PK1 = HexFormat.of().parseHex("8f3a1c2b9e7d6054a1b2c3d4e5f60718");
    private static final byte[] PK2 = HexFormat.of().parseHex("11d2e3f40516a7b8c9dae0f1021324354657687a8b9cadbe");

    private Path dir;
    private Network net;
    private URI base;
    private DomainKeyDerivation expected;
    private FieldbusAdmin admin;
    private DatabaseConfig database;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("fieldbus");
        Path store = FieldbusTestKeys.createStore(dir);
        expected = FieldbusTestKeys.independentDerivation(store);
        database = DatabaseConfig.h2Memory("fieldbus-" + UUID.randomUUID());
        net = Network.withFieldbus(FileDomainKeyStore.load(store, FieldbusTestKeys.PASSWORD.toCharArray()),
                database);
        base = net.registrar.uri();
        admin = net.registrar.registrar().fieldbus().orElseThrow().admin();
    }

    @AfterAll
    void stop() throws Exception {
        net.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** An enrolled device: its IDevID, its LDevID key and certificate, and a client presenting the LDevID. */
    record Enrolled(String serial, HeldCertificate idevid, KeyPair key, X509Certificate ldevid, HttpClient client) {
    }

    private Enrolled enrolled(String prefix) throws Exception {
        String serial = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        HeldCertificate idevid = net.acmePledge(serial);
        HttpClient pledge = net.client(Optional.of(idevid));
        HttpResponse<byte[]> voucher = post(pledge, base, "/.well-known/brski/requestvoucher",
                net.pvr(idevid, "n-" + serial), VoucherCms.MEDIA_TYPE);
        assertEquals(200, voucher.statusCode(), new String(voucher.body(), StandardCharsets.UTF_8));
        KeyPair key = ecKey();
        HttpResponse<byte[]> enrolled = post(pledge, base, "/.well-known/est/simpleenroll", csr(key, "CN=" + serial),
                "application/pkcs10");
        assertEquals(200, enrolled.statusCode());
        X509Certificate ldevid = certsOnly(enrolled.body()).get(0);
        HttpClient client = net.client(Optional.of(HeldCertificate.of(key.getPrivate(), ldevid,
                List.of(net.pki.domainCa().certificate()))));
        return new Enrolled(serial, idevid, key, ldevid, client);
    }

    private static KeyPair ecKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC", Crypto.provider());
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static String machine() {
        return "press-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private SymmetricKeyPackage fetch(Enrolled controller) throws Exception {
        HttpResponse<byte[]> r = get(controller.client(), base, KEY_PACKAGE);
        assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        assertEquals(KeyPackageCms.MEDIA_TYPE, r.headers().firstValue("Content-Type").orElse(""));
        return KeyPackageCms.open(r.body(), controller.key().getPrivate(), controller.ldevid());
    }

    private static PackagedKey role(SymmetricKeyPackage pkg, KeyRole role) {
        return pkg.key(role).orElseThrow();
    }

    private byte[] escrowBody(String machineId, List<PackagedKey> keys) throws FieldbusException {
        return KeyPackageCms.envelope(SymmetricKeyPackage.of(machineId, keys), net.pki.registrar().certificate());
    }

    private HttpResponse<byte[]> escrow(Enrolled controller, byte[] body) throws Exception {
        return post(controller.client(), base, ESCROW, body, KeyPackageCms.MEDIA_TYPE);
    }

    @Test
    void keyPackageHoldsTheDerivedKeysOfItsMachineOnly() throws Exception {
        Enrolled a = enrolled("FB-A");
        Enrolled b = enrolled("FB-B");
        String m1 = machine();
        String m2 = machine();
        admin.addMachine(m1, List.of(a.serial()), false);
        admin.addMachine(m2, List.of(b.serial()), true);

        SymmetricKeyPackage p1 = fetch(a);
        assertEquals(m1, p1.machineId());
        PackagedKey ik1 = role(p1, KeyRole.INTEGRATOR);
        PackagedKey want = expected.integratorKey(m1, 1);
        assertTrue(ik1.sameKey(want));
        assertEquals(want.keyId(), ik1.keyId());
        assertEquals(1, ik1.revision());
        assertTrue(p1.key(KeyRole.OPERATOR).isEmpty(), "no Operator Key unless the machine uses one");
        assertEquals(1, p1.keys().size());

        SymmetricKeyPackage p2 = fetch(b);
        assertEquals(m2, p2.machineId());
        assertFalse(role(p2, KeyRole.INTEGRATOR).sameKey(ik1), "two machines, two Integrator Keys");
        assertTrue(role(p2, KeyRole.INTEGRATOR).sameKey(expected.integratorKey(m2, 1)));
        assertTrue(role(p2, KeyRole.OPERATOR).sameKey(expected.operatorKey(m2, 1)));
        assertEquals(expected.operatorKey(m2, 1).keyId(), role(p2, KeyRole.OPERATOR).keyId());
    }

    @Test
    void rotationChangesKeyAndKeyIdAndTheOldRevisionIsNoLongerServed() throws Exception {
        Enrolled c = enrolled("FB-ROT");
        String m = machine();
        admin.addMachine(m, List.of(c.serial()), false);
        PackagedKey before = role(fetch(c), KeyRole.INTEGRATOR);
        KeyRevision rotated = admin.rotate(m);
        assertEquals(2, rotated.revision());
        PackagedKey after = role(fetch(c), KeyRole.INTEGRATOR);
        assertEquals(2, after.revision());
        assertFalse(after.sameKey(before));
        assertNotEquals(before.keyId(), after.keyId());
        assertTrue(after.sameKey(expected.integratorKey(m, 2)));
        assertEquals(expected.integratorKey(m, 2).keyId(), rotated.integratorKeyId());
        assertEquals(RevisionState.RETIRED, admin.store().revision(m, 1).orElseThrow().state());
    }

    @Test
    void revokedRevisionIsRefusedAndRevokingTheCurrentOneRotates() throws Exception {
        Enrolled c = enrolled("FB-REV");
        String m = machine();
        admin.addMachine(m, List.of(c.serial()), false);
        KeyRevision now = admin.revoke(m, 1);
        assertEquals(2, now.revision());
        assertEquals(RevisionState.REVOKED, admin.store().revision(m, 1).orElseThrow().state());
        assertEquals(2, role(fetch(c), KeyRole.INTEGRATOR).revision());

        // the current revision marked revoked behind the service's back: packages are refused, never served stale
        assertFalse(admin.store().revoke(m, 2), "the store never revokes the current revision by itself");
        try (java.sql.Connection db = java.sql.DriverManager.getConnection(database.url(), database.user(),
                database.password()); java.sql.PreparedStatement s = db.prepareStatement(
                        "UPDATE fieldbus_revision SET state = 'revoked' WHERE machine_id = ? AND revision = 2")) {
            s.setString(1, m);
            assertEquals(1, s.executeUpdate());
        }
        assertProblem(get(c.client(), base, KEY_PACKAGE), 403, "revision-revoked");
    }

    @Test
    void onlyEnrolledAllowedControllersGetAPackage() throws Exception {
        Enrolled c = enrolled("FB-NEG");
        Enrolled stranger = enrolled("FB-STRANGER");
        admin.addMachine(machine(), List.of(c.serial()), false);
        assertProblem(get(net.client(Optional.empty()), base, KEY_PACKAGE), 401, "client-certificate-required");
        assertProblem(get(net.client(Optional.of(c.idevid())), base, KEY_PACKAGE), 403, "not-an-ldevid");
        assertProblem(get(stranger.client(), base, KEY_PACKAGE), 403, "not-a-controller");
        net.registrar.registrar().admin().deny(c.serial());
        assertProblem(get(c.client(), base, KEY_PACKAGE), 403, "device-denied");
        assertProblem(escrow(c, escrowBody("x", List.of(PackagedKey.provisioning(1, PK1, 0x10)))), 403,
                "device-denied");
    }

    @Test
    void escrowedProvisioningKeysAreStoredWrappedAndDelivered() throws Exception {
        Enrolled c = enrolled("FB-ESC");
        String m = machine();
        admin.addMachine(m, List.of(c.serial()), false);
        HttpResponse<byte[]> r = escrow(c, escrowBody(m, List.of(PackagedKey.provisioning(0xF0000001L, PK1, 0x1001),
                PackagedKey.provisioning(77, PK2, 0x1002))));
        assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        assertEquals("{\"stored\":[77,4026531841]}", new String(r.body(), StandardCharsets.UTF_8));
        for (NodeKey stored : admin.store().nodeKeys(m)) {
            assertFalse(HexFormat.of().formatHex(stored.wrappedKey()).contains(HexFormat.of().formatHex(PK1)));
            assertEquals(KeySource.ESCROW, stored.source());
        }
        SymmetricKeyPackage pkg = fetch(c);
        assertTrue(pkg.provisioningKey(0xF0000001L).orElseThrow().sameKey(PackagedKey.provisioning(0xF0000001L, PK1,
                0x1001)));
        assertEquals(0x1002, pkg.provisioningKey(77).orElseThrow().keyId());
        assertEquals(3, pkg.keys().size());
    }

    @Test
    void escrowRefusalsStoreNothing() throws Exception {
        Enrolled c = enrolled("FB-ESCNEG");
        Enrolled other = enrolled("FB-ESCOTHER");
        String m = machine();
        String otherMachine = machine();
        admin.addMachine(m, List.of(c.serial()), false);
        admin.addMachine(otherMachine, List.of(other.serial()), false);
        assertEquals(200, escrow(other, escrowBody(otherMachine, List.of(PackagedKey.provisioning(900, PK1, 0x9)))
                ).statusCode());

        byte[] toLdevid = KeyPackageCms.envelope(SymmetricKeyPackage.of(m, List.of(PackagedKey.provisioning(1, PK1,
                0x10))), c.ldevid());
        assertProblem(escrow(c, toLdevid), 400, "wrong-recipient");
        assertProblem(escrow(c, new byte[] {0x30, 0x03, 0x02, 0x01, 0x01}), 400, "malformed-cms");
        assertProblem(escrow(c, new byte[0]), 400, "empty-body");
        assertProblem(escrow(c, new byte[FieldbusKeyService.MAX_ESCROW_BYTES + 1]), 413, "too-large");
        assertProblem(post(c.client(), base, ESCROW, escrowBody(m, List.of(PackagedKey.provisioning(1, PK1, 0x10))),
                "application/json"), 415, "unsupported-media-type");
        assertProblem(escrow(c, escrowBody(otherMachine, List.of(PackagedKey.provisioning(1, PK1, 0x10)))), 400,
                "machine-mismatch");
        byte[] weak = HexFormat.of().parseHex("deadbeefdeadbeefdeadbeefdeadbeef");
        String detail = assertProblem(escrow(c, escrowBody(m, List.of(PackagedKey.provisioning(1, PK1, 0x10),
                PackagedKey.provisioning(2, weak, 0x11)))), 400, "weak-key").get("detail").asText();
        assertTrue(detail.contains("node 2"), detail);
        assertProblem(escrow(c, escrowBody(m, List.of(PackagedKey.provisioning(1, PK1, 0x10),
                PackagedKey.provisioning(900, PK2, 0x11)))), 409, "node-of-another-machine");
        assertProblem(escrow(c, escrowBody(m, List.of(expected.integratorKey(m, 1)))), 400, "bad-key-package");
        assertProblem(escrow(c, escrowBody(m, List.of(PackagedKey.provisioning(1, PK1, 0x10),
                PackagedKey.provisioning(2, PK1, 0x11)))), 400, "duplicate-key");
        assertTrue(admin.store().nodeKeys(m).isEmpty(), "nothing stored by any refused escrow");
        assertEquals(1, fetch(c).keys().size());
    }

    private static byte[] report(String json) {
        return json.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void reportsRecordWhatNodesHoldAndStatusShowsStaleNodesAfterRotation() throws Exception {
        Enrolled c = enrolled("FB-REP");
        Enrolled other = enrolled("FB-REPOTHER");
        String m = machine();
        String otherMachine = machine();
        admin.addMachine(m, List.of(c.serial()), false);
        admin.addMachine(otherMachine, List.of(other.serial()), false);
        long ik = expected.integratorKey(m, 1).keyId();
        HttpResponse<byte[]> r = post(c.client(), base, REPORT, report("{'nodes':[{'nodeId':5,'serial':305419896,"
                + "'revision':1,'keyIds':{'provisioning':4097,'integrator':" + ik + ",'operator':4294967295},"
                + "'status':'ok'},{'nodeId':6,'serial':7,'status':'unreachable'}]}"), "application/json");
        assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        MachineStatus status = admin.status(m);
        NodeStatus fresh = status.nodes().stream().filter(n -> n.nodeSerial() == 305419896L).findFirst()
                .orElseThrow();
        assertFalse(fresh.stale());
        assertTrue(fresh.report().orElseThrow().operatorKeyId().isEmpty(), "0xFFFFFFFF is an empty slot");
        assertTrue(status.nodes().stream().filter(n -> n.nodeSerial() == 7).findFirst().orElseThrow().stale());

        admin.rotate(m);
        assertTrue(admin.status(m).nodes().stream().allMatch(NodeStatus::stale), "every node must get the new IK");

        assertProblem(post(other.client(), base, REPORT, report("{'nodes':[{'nodeId':5,'serial':305419896,"
                + "'status':'ok'}]}"), "application/json"), 409, "node-of-another-machine");
        assertProblem(post(c.client(), base, REPORT, report("{'nodes':[{'nodeId':5,'serial':1,'status':'ok',"
                + "'extra':1}]}"), "application/json"), 400, "malformed-report");
        assertProblem(post(c.client(), base, REPORT, report("{'nodes':[{'nodeId':'5','serial':1,'status':'ok'}]}"),
                "application/json"), 400, "malformed-report");
        assertProblem(post(c.client(), base, REPORT, report("{'nodes':[{'nodeId':0,'serial':1,'status':'ok'}]}"),
                "application/json"), 400, "malformed-report");
        assertProblem(post(c.client(), base, REPORT, report("{'nodes':[{'nodeId':5,'serial':4294967296,"
                + "'status':'ok'}]}"), "application/json"), 400, "malformed-report");
        assertProblem(post(c.client(), base, REPORT, report("{'nodes':[{'nodeId':5,'serial':1,'revision':3,"
                + "'status':'ok'}]}"), "application/json"), 400, "malformed-report");
        assertProblem(post(c.client(), base, REPORT, new byte[FieldbusKeyService.MAX_REPORT_BYTES + 1],
                "application/json"), 413, "too-large");
        assertEquals(2, admin.store().reports(m).size(), "refused reports changed nothing");
    }

    private static byte[] reportOf(long firstSerial, int count) {
        StringBuilder json = new StringBuilder("{\"nodes\":[");
        for (int i = 0; i < count; i++) {
            json.append(i == 0 ? "" : ",").append("{\"nodeId\":").append(i + 1).append(",\"serial\":")
                    .append(firstSerial + i).append(",\"status\":\"ok\"}");
        }
        return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Made-up node serials cannot grow a machine's node list beyond one bus (127 unknown nodes) plus its keyed nodes. */
    @Test
    void reportsAreBoundedToOneBusOfUnknownNodes() throws Exception {
        Enrolled c = enrolled("FB-FLOOD");
        String m = machine();
        admin.addMachine(m, List.of(c.serial()), false);
        assertProblem(post(c.client(), base, REPORT, reportOf(50_000, 128), "application/json"), 400,
                "malformed-report");
        assertProblem(post(c.client(), base, REPORT, report("{'nodes':[{'nodeId':5,'serial':1,'status':'ok'},"
                + "{'nodeId':5,'serial':2,'status':'ok'}]}"), "application/json"), 400, "malformed-report");
        assertEquals(200, post(c.client(), base, REPORT, reportOf(60_000, 127), "application/json").statusCode());
        assertEquals(200, post(c.client(), base, REPORT, reportOf(60_000, 127), "application/json").statusCode(),
                "the same nodes again");
        assertProblem(post(c.client(), base, REPORT, reportOf(70_000, 1), "application/json"), 409,
                "too-many-unknown-nodes");
        assertEquals(200, escrow(c, escrowBody(m, List.of(PackagedKey.provisioning(80_000, PK1, 0x31))))
                .statusCode());
        assertEquals(200, post(c.client(), base, REPORT, reportOf(80_000, 1), "application/json").statusCode(),
                "a node whose key the machine holds is always reported");
        assertEquals(128, admin.store().reports(m).size());
    }

    @Test
    void reportsInThePledgeCommissionerFormatAreAccepted() throws Exception {
        Enrolled c = enrolled("FB-PLEDGEREP");
        String m = machine();
        admin.addMachine(m, List.of(c.serial()), false);
        long ik = expected.integratorKey(m, 1).keyId();
        // as org.brski.pledge.fieldbus.CommissioningReport#toJson writes it: nulls for empty slots and no revision
        HttpResponse<byte[]> r = post(c.client(), base, REPORT, report("{'nodes':[{'nodeId':3,'serial':9001,"
                + "'status':'commissioned','revision':1,'keyIds':{'provisioning':4097,'integrator':" + ik
                + ",'operator':null}},{'nodeId':4,'serial':9002,'status':'failed','revision':null,'keyIds':"
                + "{'provisioning':null,'integrator':null,'operator':null}}]}"), "application/json");
        assertEquals("{\"recorded\":2}", new String(r.body(), StandardCharsets.UTF_8));
        MachineStatus status = admin.status(m);
        assertFalse(status.nodes().get(0).stale(), "commissioned with the current keys");
        assertTrue(status.nodes().get(1).stale());
        assertTrue(status.nodes().get(1).report().orElseThrow().revision().isEmpty());
        assertEquals(200, post(c.client(), base, REPORT, report("{'nodes':[]}"), "application/json").statusCode());
    }

    @Test
    void removingANodeDropsItsKeyAndRotates() throws Exception {
        Enrolled c = enrolled("FB-RM");
        String m = machine();
        admin.addMachine(m, List.of(c.serial()), false);
        assertEquals(200, escrow(c, escrowBody(m, List.of(PackagedKey.provisioning(11, PK1, 0x21),
                PackagedKey.provisioning(12, PK2, 0x22)))).statusCode());
        KeyRevision after = admin.removeNode(m, 11);
        assertEquals(2, after.revision());
        SymmetricKeyPackage pkg = fetch(c);
        assertTrue(pkg.provisioningKey(11).isEmpty());
        assertTrue(pkg.provisioningKey(12).isPresent());
        assertTrue(role(pkg, KeyRole.INTEGRATOR).sameKey(expected.integratorKey(m, 2)));
        assertEquals(404, org.junit.jupiter.api.Assertions.assertThrows(org.brski.registrar.RegistrarException.class,
                () -> admin.removeNode(m, 11)).problem().status());
    }
}
