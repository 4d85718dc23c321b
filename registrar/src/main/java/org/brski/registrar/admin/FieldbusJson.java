package org.brski.registrar.admin;

import java.util.List;
import java.util.OptionalLong;

import org.brski.registrar.fieldbus.FieldbusFormat;
import org.brski.registrar.fieldbus.KeyRevision;
import org.brski.registrar.fieldbus.Machine;
import org.brski.registrar.fieldbus.MachineStatus;
import org.brski.registrar.fieldbus.NodeReport;
import org.brski.registrar.fieldbus.NodeStatus;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * JSON views of fieldbus machines, revisions and node status, shared by the admin API and the CLI. Key IDs appear as
 * {@code 0x%08X} strings; no key material is ever rendered.
 */
public final class FieldbusJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private FieldbusJson() {
    }

    public static ObjectNode machine(Machine m) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", m.id());
        n.put("currentRevision", m.currentRevision());
        n.put("operatorKey", m.operatorKey());
        ArrayNode controllers = n.putArray("controllers");
        m.controllers().forEach(controllers::add);
        n.put("createdAt", m.createdAt().toString());
        return n;
    }

    public static ArrayNode machines(List<Machine> all) {
        ArrayNode a = JSON.createArrayNode();
        all.forEach(m -> a.add(machine(m)));
        return a;
    }

    public static ObjectNode revision(KeyRevision r) {
        ObjectNode n = JSON.createObjectNode();
        n.put("machine", r.machineId());
        n.put("revision", r.revision());
        n.put("state", r.state().token());
        n.put("integratorKeyId", FieldbusFormat.keyId(r.integratorKeyId()));
        keyId(n, "operatorKeyId", r.operatorKeyId());
        n.put("reason", r.reason());
        n.put("createdAt", r.createdAt().toString());
        r.endedAt().ifPresent(t -> n.put("endedAt", t.toString()));
        return n;
    }

    public static ObjectNode status(MachineStatus s) {
        ObjectNode n = machine(s.machine());
        n.set("current", revision(s.current()));
        ArrayNode revisions = n.putArray("revisions");
        s.revisions().forEach(r -> revisions.add(revision(r)));
        ArrayNode nodes = n.putArray("nodes");
        for (NodeStatus node : s.nodes()) {
            ObjectNode o = nodes.addObject();
            o.put("serial", node.nodeSerial());
            keyId(o, "provisioningKeyId", node.provisioningKeyId());
            node.source().ifPresent(src -> o.put("provisioningKeySource", src.token()));
            node.report().ifPresent(r -> o.set("report", report(r)));
            o.put("stale", node.stale());
        }
        n.put("staleNodes", s.nodes().stream().filter(NodeStatus::stale).count());
        return n;
    }

    private static ObjectNode report(NodeReport r) {
        ObjectNode n = JSON.createObjectNode();
        n.put("nodeId", r.nodeId());
        r.revision().ifPresent(v -> n.put("revision", v));
        ObjectNode ids = n.putObject("keyIds");
        keyId(ids, "provisioning", r.provisioningKeyId());
        keyId(ids, "integrator", r.integratorKeyId());
        keyId(ids, "operator", r.operatorKeyId());
        n.put("status", r.status());
        n.put("reportedBy", r.reportedBy());
        n.put("reportedAt", r.reportedAt().toString());
        return n;
    }

    private static void keyId(ObjectNode n, String field, OptionalLong id) {
        if (id.isPresent()) {
            n.put(field, FieldbusFormat.keyId(id.getAsLong()));
        }
    }
}
