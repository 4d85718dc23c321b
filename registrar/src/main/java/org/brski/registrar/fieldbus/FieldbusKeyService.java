package org.brski.registrar.fieldbus;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

import org.brski.fieldbus.FieldbusException;
import org.brski.fieldbus.KeyRole;
import org.brski.fieldbus.keys.KeyPackageCms;
import org.brski.fieldbus.keys.PackagedKey;
import org.brski.fieldbus.keys.SymmetricKeyPackage;
import org.brski.registrar.RegistrarException;
import org.brski.registrar.est.EstService;
import org.brski.registrar.store.Device;
import org.brski.server.tls.TlsIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The controller-facing side of the domain key service (issue 8 "Delivery"), transport free. A controller is an
 * enrolled device authenticated at TLS with its LDevID (recognised as for EST re-enrollment, RFC 8995 5.9.3) that the
 * operator made a controller of one machine. It fetches the machine's RFC 6031 key package in CMS EnvelopedData to its
 * LDevID, escrows Provisioning Keys it generated (enveloped to the registrar's TLS certificate), and reports what each
 * node holds. Every delivery and escrow is logged with machine, revision and Key IDs, never key bytes. Thread-safe.
 */
public final class FieldbusKeyService {
    private static final Logger LOG = LoggerFactory.getLogger(FieldbusKeyService.class);
    /** Largest escrow body (CMS) accepted. */
    public static final int MAX_ESCROW_BYTES = 64 * 1024;
    /** Largest report body (JSON) accepted. */
    public static final int MAX_REPORT_BYTES = 64 * 1024;
    private static final Pattern STATUS = Pattern.compile("[a-z][a-z0-9-]{0,31}");
    private static final int MAX_NODE_ID = 127;

    private static final ObjectMapper JSON = strictMapper();

    private final FieldbusAdmin admin;
    private final EstService est;
    private final TlsIdentity identity;
    private final java.time.Clock clock;

    private FieldbusKeyService(FieldbusAdmin admin, EstService est, TlsIdentity identity, java.time.Clock clock) {
        this.admin = admin;
        this.est = est;
        this.identity = identity;
        this.clock = clock;
    }

    /**
     * @param admin    the machines and keys
     * @param est      recognises LDevID clients (and reads the operator's decisions on their devices)
     * @param identity the registrar's TLS identity: escrow packages are enveloped to its certificate
     */
    public static FieldbusKeyService of(FieldbusAdmin admin, EstService est, TlsIdentity identity,
            java.time.Clock clock) {
        return new FieldbusKeyService(Objects.requireNonNull(admin, "admin"), Objects.requireNonNull(est, "est"),
                Objects.requireNonNull(identity, "identity"), Objects.requireNonNull(clock, "clock"));
    }

    public FieldbusAdmin admin() {
        return admin;
    }

    private static ObjectMapper strictMapper() {
        JsonMapper mapper = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .build();
        mapper.coercionConfigDefaults().setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        return mapper;
    }

    /** The machine a controller may act for (403 {@code not-a-controller}). */
    private Machine controlledMachine(Device device) throws RegistrarException {
        return admin.store().machineOfController(device.serial()).orElseThrow(() -> RegistrarException.forbidden(
                "not-a-controller", "device '" + FieldbusFormat.clip(device.serial())
                        + "' is not a controller of any fieldbus machine"));
    }

    /**
     * {@code GET /brski-fieldbus/v1/key-package}: the current revision's Integrator Key (and Operator Key when the
     * machine uses one) and every stored node Provisioning Key of the controller's machine, as an RFC 6031
     * SymmetricKeyPackage in CMS EnvelopedData to the LDevID's public key.
     *
     * @throws RegistrarException 401 without client certificate; 403 {@code not-an-ldevid}, {@code ldevid-invalid},
     *                            {@code device-denied}, ..., {@code not-a-controller}, {@code revision-revoked}
     */
    public byte[] keyPackage(List<X509Certificate> tlsChain) throws RegistrarException {
        Device device = est.ldevidClient(tlsChain, "a fieldbus key package");
        Machine machine = controlledMachine(device);
        KeyRevision revision = admin.store().revision(machine.id(), machine.currentRevision()).orElseThrow(
                () -> RegistrarException.forbidden("revision-revoked", "machine '" + machine.id()
                        + "' has no served key revision"));
        if (revision.state() != RevisionState.ACTIVE) {
            throw RegistrarException.forbidden("revision-revoked", "key revision " + revision.revision()
                    + " of machine '" + machine.id() + "' is " + revision.state().token());
        }
        List<PackagedKey> keys = new ArrayList<>();
        PackagedKey ik = admin.derive(KeyRole.INTEGRATOR, machine.id(), revision.revision());
        if (ik.keyId() != revision.integratorKeyId()) {
            // the master key store is not the one this database was built with: delivering would split the machine
            throw new RegistrarException(org.brski.voucher.Problem.of("key-store-failure", "Internal server error",
                    500, "the domain key store failed"), "domain key store mismatch: machine " + machine.id()
                    + " revision " + revision.revision() + " IK Key ID " + FieldbusFormat.keyId(ik.keyId())
                    + " differs from the recorded " + FieldbusFormat.keyId(revision.integratorKeyId()), null, null);
        }
        keys.add(ik);
        if (machine.operatorKey()) {
            keys.add(admin.derive(KeyRole.OPERATOR, machine.id(), revision.revision()));
        }
        List<PackagedKey> pks = new ArrayList<>();
        for (NodeKey stored : admin.store().nodeKeys(machine.id())) {
            byte[] key = null;
            try {
                key = admin.keys().unwrapProvisioningKey(machine.id(), stored.nodeSerial(), stored.wrappedKey());
                pks.add(PackagedKey.provisioning(stored.nodeSerial(), key, stored.keyId()));
            } catch (FieldbusException e) {
                throw FieldbusAdmin.keyStoreFailure(e);
            } finally {
                if (key != null) {
                    java.util.Arrays.fill(key, (byte) 0);
                }
            }
        }
        keys.addAll(pks);
        byte[] cms;
        try {
            cms = KeyPackageCms.envelope(SymmetricKeyPackage.of(machine.id(), keys), tlsChain.get(0));
        } catch (FieldbusException e) {
            throw RegistrarException.badRequest("unsupported-ldevid-key", "no key package can be enveloped to this"
                    + " LDevID's public key");
        }
        LOG.info("fieldbus key package delivered to device '{}': machine '{}' revision {}, IK {}{}, {} node PKs {}",
                device.serial(), machine.id(), revision.revision(), FieldbusFormat.keyId(ik.keyId()),
                machine.operatorKey() ? ", OK " + FieldbusFormat.keyId(keys.get(1).keyId()) : "", pks.size(),
                FieldbusAdmin.keyIds(pks));
        return cms;
    }

    /**
     * {@code POST /brski-fieldbus/v1/escrow}: Provisioning Keys the controller generated for nodes of its machine, as
     * an RFC 6031 package in CMS EnvelopedData to the registrar's TLS certificate. Each key is checked (length,
     * weak patterns, Key ID); all are stored wrapped or none.
     *
     * @return the node serials stored
     * @throws RegistrarException 400 {@code empty-body}, {@code malformed-cms}, {@code wrong-recipient},
     *                            {@code machine-mismatch}, {@code bad-key-package}, {@code weak-key}, ...;
     *                            403 as {@link #keyPackage}; 409 {@code node-of-another-machine}
     */
    public List<Long> escrow(byte[] cms, List<X509Certificate> tlsChain) throws RegistrarException {
        Device device = est.ldevidClient(tlsChain, "escrow");
        Machine machine = controlledMachine(device);
        if (cms.length == 0) {
            throw RegistrarException.badRequest("empty-body", "the escrow body is empty");
        }
        if (cms.length > MAX_ESCROW_BYTES) {
            throw RegistrarException.tooLarge("an escrow body has at most "
                    + MAX_ESCROW_BYTES + " bytes");
        }
        SymmetricKeyPackage pkg;
        try {
            pkg = KeyPackageCms.open(cms, identity.privateKey(), identity.certificate());
        } catch (FieldbusException e) {
            boolean recipient = "not-for-this-recipient".equals(e.reason());
            throw RegistrarException.badRequest(recipient ? "wrong-recipient" : "malformed-cms", recipient
                    ? "the escrow is not enveloped to this registrar's TLS certificate"
                    : "the body is not a key package in CMS EnvelopedData to this registrar");
        }
        if (!pkg.machineId().equals(machine.id())) {
            throw RegistrarException.badRequest("machine-mismatch", "the package names another machine than the"
                    + " controller's");
        }
        List<PackagedKey> keys = pkg.keys();
        if (keys.isEmpty() || keys.size() > FieldbusFormat.MAX_NODES) {
            throw RegistrarException.badRequest("bad-key-package", "an escrow carries 1-" + FieldbusFormat.MAX_NODES
                    + " Provisioning Keys");
        }
        Set<Long> serials = new HashSet<>();
        List<PackagedKey> seen = new ArrayList<>();
        for (PackagedKey key : keys) {
            if (FieldbusAdmin.sharedKey(seen, key)) {
                throw RegistrarException.badRequest(FieldbusAdmin.DUPLICATE_KEY, "two nodes of the escrow share a"
                        + " Provisioning Key (WP-104 3.2: unique per device)");
            }
            seen.add(key);
            if (key.role() != KeyRole.PROVISIONING || key.nodeSerial().isEmpty()) {
                throw RegistrarException.badRequest("bad-key-package", "an escrow carries only Provisioning Keys of"
                        + " nodes");
            }
            long serial = key.nodeSerial().getAsLong();
            if (serial < 0 || serial > FieldbusFormat.MAX_UNSIGNED32 || !serials.add(serial)) {
                throw RegistrarException.badRequest("bad-key-package", "node serials are distinct UNSIGNED32 values");
            }
            byte[] bytes = key.key();
            try {
                FieldbusAdmin.checkProvisioningKey(bytes, key.keyId());
            } catch (FieldbusException e) {
                throw RegistrarException.badRequest(e.reason(), "the Provisioning Key of node " + serial + " is refused: "
                        + e.getMessage());
            } finally {
                java.util.Arrays.fill(bytes, (byte) 0);
            }
        }
        admin.storeProvisioningKeys(machine.id(), keys, KeySource.ESCROW);
        LOG.info("fieldbus escrow from device '{}' for machine '{}': {} node PKs stored, Key IDs {}", device.serial(),
                machine.id(), keys.size(), FieldbusAdmin.keyIds(keys));
        return keys.stream().map(k -> k.nodeSerial().getAsLong()).sorted().toList();
    }

    /** The JSON body of {@code POST /report}. */
    record ReportBody(List<ReportNode> nodes) {
    }

    record ReportNode(Integer nodeId, Long serial, Integer revision, ReportKeyIds keyIds, String status) {
    }

    record ReportKeyIds(Long provisioning, Long integrator, Long operator) {
    }

    /**
     * {@code POST /brski-fieldbus/v1/report}: what the controller read back from its machine's nodes,
     * {@code {"nodes":[{"nodeId":5,"serial":305419896,"revision":2,"keyIds":{"provisioning":..,"integrator":..,
     * "operator":..},"status":"commissioned"}]}} (the pledge's {@code CommissioningReport}); {@code revision} and Key
     * IDs may be null, Key IDs read as 0xFFFFFFFF (empty slot) are recorded as absent, an empty list is accepted.
     *
     * @return the number of nodes recorded
     * @throws RegistrarException 400 {@code malformed-report}; 403 as {@link #keyPackage}; 409
     *                            {@code node-of-another-machine}
     */
    public int report(byte[] json, List<X509Certificate> tlsChain) throws RegistrarException {
        Device device = est.ldevidClient(tlsChain, "a fieldbus report");
        Machine machine = controlledMachine(device);
        if (json.length > MAX_REPORT_BYTES) {
            throw RegistrarException.tooLarge("a report has at most "
                    + MAX_REPORT_BYTES + " bytes");
        }
        ReportBody body;
        try {
            body = JSON.readValue(json, ReportBody.class);
        } catch (IOException e) {
            throw malformed("the body is not a report: {\"nodes\":[{\"nodeId\",\"serial\",\"revision\",\"keyIds\","
                    + "\"status\"}]} with integer numbers and no other members");
        }
        if (body == null || body.nodes() == null || body.nodes().size() > MAX_NODE_ID) {
            throw malformed("'nodes' lists 0-" + MAX_NODE_ID + " nodes: one bus has at most one node per node-ID");
        }
        List<NodeReport> reports = new ArrayList<>();
        Set<Long> serials = new HashSet<>();
        Set<Integer> nodeIds = new HashSet<>();
        java.time.Instant now = clock.instant();
        for (int i = 0; i < body.nodes().size(); i++) {
            ReportNode n = body.nodes().get(i);
            String at = "nodes[" + i + "]";
            if (n == null || n.nodeId() == null || n.nodeId() < 1 || n.nodeId() > MAX_NODE_ID
                    || !nodeIds.add(n.nodeId())) {
                throw malformed(at + ".nodeId must be a distinct 1-" + MAX_NODE_ID);
            }
            if (n.serial() == null || n.serial() < 0 || n.serial() > FieldbusFormat.MAX_UNSIGNED32
                    || !serials.add(n.serial())) {
                throw malformed(at + ".serial must be a distinct UNSIGNED32");
            }
            if (n.revision() != null && (n.revision() < 1 || n.revision() > machine.currentRevision())) {
                throw malformed(at + ".revision must be 1-" + machine.currentRevision());
            }
            if (n.status() == null || !STATUS.matcher(n.status()).matches()) {
                throw malformed(at + ".status must be a token such as commissioned, up-to-date, failed or refused");
            }
            ReportKeyIds ids = n.keyIds() == null ? new ReportKeyIds(null, null, null) : n.keyIds();
            reports.add(new NodeReport(n.serial(), n.nodeId(), n.revision() == null ? OptionalInt.empty()
                    : OptionalInt.of(n.revision()), keyId(ids.provisioning(), at + ".keyIds.provisioning"),
                    keyId(ids.integrator(), at + ".keyIds.integrator"), keyId(ids.operator(), at + ".keyIds.operator"),
                    n.status(), device.serial(), now));
        }
        checkUnknownNodes(machine, serials);
        admin.store().recordReports(machine.id(), reports);
        LOG.info("fieldbus report from device '{}' for machine '{}' (current revision {}): {} node(s), {} not ok",
                device.serial(), machine.id(), machine.currentRevision(), reports.size(),
                reports.stream().filter(r -> !FieldbusAdmin.HOLDING.contains(r.status())).count());
        return reports.size();
    }

    /**
     * Bounds what a controller can make its machine list: nodes whose Provisioning Key the machine holds are always
     * reported; nodes without one (an uncommissioned node on the bus, a node whose key was never escrowed) only while
     * the machine lists at most {@value #MAX_NODE_ID} of them, one bus' worth. Beyond that the report is refused (409
     * {@code too-many-unknown-nodes}) and the operator removes stale nodes first.
     */
    private void checkUnknownNodes(Machine machine, Set<Long> reported) throws RegistrarException {
        Set<Long> keyed = new HashSet<>();
        admin.store().nodeKeys(machine.id()).forEach(k -> keyed.add(k.nodeSerial()));
        Set<Long> unknown = new HashSet<>();
        admin.store().reports(machine.id()).forEach(r -> unknown.add(r.nodeSerial()));
        unknown.addAll(reported);
        unknown.removeAll(keyed);
        if (unknown.size() > MAX_NODE_ID) {
            throw RegistrarException.of(409, "too-many-unknown-nodes", "Too many unknown nodes", "machine '"
                    + machine.id() + "' would list " + unknown.size() + " nodes without a Provisioning Key; at most "
                    + MAX_NODE_ID + " (one bus) are kept: remove stale nodes first");
        }
    }

    private static OptionalLong keyId(Long value, String at) throws RegistrarException {
        if (value == null || value == FieldbusFormat.MAX_UNSIGNED32) {
            return OptionalLong.empty();
        }
        if (value < 0 || value > FieldbusFormat.MAX_UNSIGNED32) {
            throw malformed(at + " must be an UNSIGNED32");
        }
        return OptionalLong.of(value);
    }

    private static RegistrarException malformed(String detail) {
        return RegistrarException.badRequest("malformed-report", detail);
    }
}
