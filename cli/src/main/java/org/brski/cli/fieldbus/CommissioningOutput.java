package org.brski.cli.fieldbus;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.brski.fieldbus.canopen.BusStats;
import org.brski.fieldbus.crypto.KeyId;
import org.brski.pledge.fieldbus.CommissioningReport;
import org.brski.pledge.fieldbus.NodeResult;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** Prints a commissioning run and writes its JSON ({@code frames}, {@code busTimeMs}, {@code minimumBusTimeMs}, ...). */
public final class CommissioningOutput {
    private static final int MAX_PROBLEMS = 10;

    private CommissioningOutput() {
    }

    /** The summary lines: outcomes, bus figures and the minimum, and up to 10 problem nodes. */
    public static void print(PrintWriter out, FieldbusSession.Outcome outcome) {
        CommissioningReport r = outcome.report();
        BusStats s = outcome.stats();
        out.printf(Locale.ROOT, "machine %s, key revision %d, %d node(s) on %s, %d-bit tags:%n", r.machineId(),
                r.revision(), r.nodes().size(), outcome.bus(), outcome.tagBits());
        out.printf(Locale.ROOT, "  %d commissioned, %d up to date, %d refused, %d failed, %d absent%n",
                r.count(NodeResult.Status.COMMISSIONED), r.count(NodeResult.Status.UP_TO_DATE),
                r.count(NodeResult.Status.REFUSED), r.count(NodeResult.Status.FAILED),
                r.count(NodeResult.Status.ABSENT));
        out.printf(Locale.ROOT, "  bus: %,d frames, %,d data bytes, %,d bits, %.1f ms bus time (worst-case bit"
                + " stuffing)%n", s.frames(), s.frameBytes(), s.totalBits(), s.busTimeMillis());
        out.printf(Locale.ROOT, "  minimum for the same %,d payload bytes in full frames: %.1f ms (%.1fx)%n",
                s.payloadBytes(), s.minimumBusTimeMillis(), s.busTimeMillis() / s.minimumBusTimeMillis());
        r.nodes().stream().filter(n -> !n.ok() && n.status() != NodeResult.Status.ABSENT).limit(MAX_PROBLEMS)
                .forEach(n -> out.printf(Locale.ROOT, "  node %d (serial %s): %s, %s%n", n.nodeId(),
                        KeyId.hex(n.serial()), n.status().label(), n.detail()));
        out.flush();
    }

    /** The figures and per-node results as JSON. */
    public static void writeJson(Path file, FieldbusSession.Outcome outcome) throws IOException {
        CommissioningReport r = outcome.report();
        BusStats s = outcome.stats();
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("machine", r.machineId());
        root.put("revision", r.revision());
        root.put("bus", outcome.bus());
        root.put("nominalBitrate", s.nominalBitrate());
        root.put("dataBitrate", s.dataBitrate());
        root.put("tagBits", outcome.tagBits());
        root.put("nodes", r.nodes().size());
        root.put("frames", s.frames());
        root.put("frameBytes", s.frameBytes());
        root.put("bits", s.totalBits());
        root.put("payloadBytes", s.payloadBytes());
        root.put("busTimeMs", s.busTimeMillis());
        root.put("minimumBusTimeMs", s.minimumBusTimeMillis());
        Map<String, Long> counts = new LinkedHashMap<>();
        for (NodeResult.Status status : NodeResult.Status.values()) {
            counts.put(status.label(), r.count(status));
        }
        root.put("outcomes", counts);
        List<Map<String, Object>> nodes = r.nodes().stream().map(n -> {
            Map<String, Object> node = new LinkedHashMap<>();
            node.put("nodeId", n.nodeId());
            node.put("serial", n.serial() < 0 ? null : KeyId.hex(n.serial()));
            node.put("status", n.status().label());
            node.put("detail", n.detail());
            node.put("provisioningKeyId", hex(n.provisioningKeyId()));
            node.put("integratorKeyId", hex(n.integratorKeyId()));
            node.put("operatorKeyId", hex(n.operatorKeyId()));
            return node;
        }).toList();
        root.put("results", nodes);
        Files.write(file, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(root));
    }

    private static String hex(long keyId) {
        return KeyId.isReserved(keyId) ? null : KeyId.hex(keyId);
    }
}
