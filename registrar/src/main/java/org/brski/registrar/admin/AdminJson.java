package org.brski.registrar.admin;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.brski.pkix.DeviceCertificates;
import org.brski.pkix.Pem;
import org.brski.registrar.policy.Manufacturer;
import org.brski.registrar.store.AuditResult;
import org.brski.registrar.store.Device;
import org.brski.registrar.store.StatusReport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** JSON views of manufacturers, devices and audit verdicts, shared by the admin API and the CLI. */
public final class AdminJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AdminJson() {
    }

    public static ObjectNode manufacturer(Manufacturer m) {
        ObjectNode n = JSON.createObjectNode();
        n.put("name", m.name());
        n.put("trusted", m.trusted());
        n.put("mode", m.mode().cliName());
        n.put("ca", DeviceCertificates.displayName(m.caCertificate().getSubjectX500Principal()));
        n.put("caSha256", m.caFingerprint());
        m.masaUrl().ifPresent(u -> n.put("masaUrl", u.toString()));
        n.put("masaAnchors", m.masaAnchors().size());
        n.put("masaDialect", Manufacturer.masaDialectName(m.masaDialect()));
        return n;
    }

    public static ArrayNode manufacturers(List<Manufacturer> all) {
        ArrayNode a = JSON.createArrayNode();
        all.forEach(m -> a.add(manufacturer(m)));
        return a;
    }

    /** A device; {@code detail} adds telemetry bodies, the audit-log and the IDevID PEM. */
    public static ObjectNode device(Device d, boolean detail) {
        ObjectNode n = JSON.createObjectNode();
        n.put("serial", d.serial());
        d.manufacturer().ifPresent(m -> n.put("manufacturer", m));
        n.put("approval", d.approval().cliName());
        n.put("firstSeen", d.firstSeen().toString());
        n.put("updatedAt", d.updatedAt().toString());
        n.put("vouchers", d.vouchers());
        d.lastVoucherAt().ifPresent(t -> n.put("lastVoucherAt", t.toString()));
        n.put("certificates", d.certificates());
        d.voucherStatus().ifPresent(s -> n.set("voucherStatus", status(s, detail)));
        d.enrollStatus().ifPresent(s -> n.set("enrollStatus", status(s, detail)));
        d.audit().ifPresent(a -> n.set("audit", audit(a, detail)));
        if (detail) {
            d.idevid().ifPresent(c -> {
                n.put("idevidSubject", DeviceCertificates.displayName(c.getSubjectX500Principal()));
                n.put("idevid", Pem.encodeCertificate(c));
            });
        }
        return n;
    }

    public static ArrayNode devices(List<Device> all) {
        ArrayNode a = JSON.createArrayNode();
        all.forEach(d -> a.add(device(d, false)));
        return a;
    }

    public static ObjectNode status(StatusReport s, boolean detail) {
        ObjectNode n = JSON.createObjectNode();
        n.put("version", s.version());
        n.put("status", s.status());
        s.reason().ifPresent(r -> n.put("reason", r));
        n.put("receivedAt", s.receivedAt().toString());
        n.put("clientCertMatched", s.clientCertMatched());
        if (detail) {
            n.put("report", s.json());
        }
        return n;
    }

    public static ObjectNode audit(AuditResult a, boolean detail) {
        ObjectNode n = JSON.createObjectNode();
        n.put("outcome", a.outcome().name().toLowerCase(java.util.Locale.ROOT));
        n.put("summary", a.summary());
        n.put("checkedAt", a.checkedAt().toString());
        if (detail && !a.log().isEmpty()) {
            n.put("log", a.log());
        }
        return n;
    }

    /** Compact UTF-8 bytes of a JSON node. */
    public static byte[] bytes(com.fasterxml.jackson.databind.JsonNode node) {
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Pretty text for terminals. */
    public static String pretty(com.fasterxml.jackson.databind.JsonNode node) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return node.toString();
        }
    }

}
