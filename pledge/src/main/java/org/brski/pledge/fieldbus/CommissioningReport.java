package org.brski.pledge.fieldbus;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.brski.fieldbus.crypto.KeyId;
import org.brski.fieldbus.keys.SymmetricKeyPackage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The outcome of commissioning a machine's nodes: one {@link NodeResult} per node id tried, the machine and key
 * revision, and — in isolated-bench mode — the Provisioning Keys generated, to be escrowed (never part of
 * {@link #toJson()} or {@link #toString()}).
 */
public final class CommissioningReport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String machineId;
    private final int revision;
    private final List<NodeResult> nodes;
    private final SymmetricKeyPackage generated;

    CommissioningReport(String machineId, int revision, List<NodeResult> nodes, SymmetricKeyPackage generated) {
        this.machineId = Objects.requireNonNull(machineId, "machineId");
        this.revision = revision;
        this.nodes = List.copyOf(nodes);
        this.generated = generated;
    }

    public String machineId() {
        return machineId;
    }

    /** The domain key revision of the Integrator Key that was installed. */
    public int revision() {
        return revision;
    }

    public List<NodeResult> nodes() {
        return nodes;
    }

    /** Provisioning Keys generated on the bench, for {@link DomainKeyClient#escrow}. */
    public Optional<SymmetricKeyPackage> generatedProvisioningKeys() {
        return Optional.ofNullable(generated);
    }

    /** Nodes in the given status. */
    public long count(NodeResult.Status status) {
        return nodes.stream().filter(n -> n.status() == status).count();
    }

    /** Whether every node that answered ended as intended. */
    public boolean allOk() {
        return nodes.stream().allMatch(n -> n.ok() || n.status() == NodeResult.Status.ABSENT);
    }

    /**
     * The report the registrar records ({@code POST /brski-fieldbus/v1/report}): per node that answered,
     * {@code nodeId}, {@code serial}, {@code status}, {@code revision} (null when the node holds no key of this
     * package) and {@code keyIds} as read back (null for an empty slot). Never key bytes.
     */
    public byte[] toJson() {
        List<Map<String, Object>> list = nodes.stream().filter(n -> n.status() != NodeResult.Status.ABSENT).map(n -> {
            Map<String, Object> node = new LinkedHashMap<>();
            node.put("nodeId", n.nodeId());
            node.put("serial", n.serial());
            node.put("status", n.status().label());
            node.put("revision", n.revision() < 1 ? null : n.revision());
            Map<String, Object> ids = new LinkedHashMap<>();
            ids.put("provisioning", keyId(n.provisioningKeyId()));
            ids.put("integrator", keyId(n.integratorKeyId()));
            ids.put("operator", keyId(n.operatorKeyId()));
            node.put("keyIds", ids);
            return node;
        }).toList();
        try {
            return JSON.writeValueAsBytes(Map.of("nodes", list));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("JSON of plain maps failed", e);
        }
    }

    private static Long keyId(long keyId) {
        return KeyId.isReserved(keyId) ? null : keyId;
    }

    @Override
    public String toString() {
        return "machine " + machineId + " revision " + revision + ": " + count(NodeResult.Status.COMMISSIONED)
                + " commissioned, " + count(NodeResult.Status.UP_TO_DATE) + " up to date, "
                + count(NodeResult.Status.REFUSED) + " refused, " + count(NodeResult.Status.FAILED) + " failed, "
                + count(NodeResult.Status.ABSENT) + " absent";
    }
}
