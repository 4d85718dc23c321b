package org.brski.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** {@code brski fieldbus commission|rotate|restore} as separate processes sharing one workspace. */
class FieldbusProcessTest {
    @TempDir
    Path dir;

    @Test
    void commissionRotateRestoreAndRecommissionOnABench() throws Exception {
        try (CliProcess run = CliProcess.run(dir, 120, "fieldbus", "commission", "--nodes", "127", "--dir", "w",
                "--json", "can.json")) {
            String out = run.assertSuccess();
            assertTrue(out.contains("127 commissioned, 0 up to date, 0 refused, 0 failed"), out);
            JsonNode json = new ObjectMapper().readTree(Files.readAllBytes(dir.resolve("can.json")));
            assertEquals(127, json.get("nodes").asInt());
            assertTrue(json.get("frames").asLong() > 127, json.toString());
            assertTrue(json.get("busTimeMs").asDouble() > json.get("minimumBusTimeMs").asDouble(), json.toString());
            assertEquals(127, json.get("outcomes").get("commissioned").asInt());
        }
        try (CliProcess run = CliProcess.run(dir, 120, "fieldbus", "rotate", "--dir", "w")) {
            String out = run.assertSuccess();
            assertTrue(out.contains("rotated to key revision 2"), out);
            assertTrue(out.contains("127 commissioned"), out);
        }
        try (CliProcess run = CliProcess.run(dir, 120, "fieldbus", "restore", "--node", "3", "--dir", "w")) {
            assertTrue(run.assertSuccess().contains("node 3: restored"), run.output());
        }
        try (CliProcess run = CliProcess.run(dir, 120, "fieldbus", "commission", "--dir", "w")) {
            assertEquals(1, run.exitValue(), run.output());
            assertTrue(run.output().contains("node 3 (serial 4E000003): refused"), run.output());
        }
        try (CliProcess run = CliProcess.run(dir, 120, "fieldbus", "commission", "--dir", "w", "--isolated-bench")) {
            String out = run.assertSuccess();
            assertTrue(out.contains("escrowed 1 bench-generated Provisioning Key"), out);
            assertTrue(out.contains("1 commissioned, 126 up to date"), out);
        }
    }

    @Test
    void canFdFiguresAndBadInput() throws Exception {
        try (CliProcess run = CliProcess.run(dir, 120, "fieldbus", "commission", "--nodes", "8", "--dir", "fd",
                "--bus", "canfd", "--data-bitrate", "2000000", "--tag-bits", "32", "--json", "fd.json")) {
            String out = run.assertSuccess();
            assertTrue(out.contains("CAN FD 500 kbit/s / data 2000 kbit/s, 32-bit tags"), out);
            JsonNode json = new ObjectMapper().readTree(Files.readAllBytes(dir.resolve("fd.json")));
            assertEquals(2_000_000, json.get("dataBitrate").asLong());
        }
        try (CliProcess run = CliProcess.run(dir, 30, "fieldbus", "commission", "--tag-bits", "40", "--dir", "x")) {
            assertEquals(2, run.exitValue(), run.output());
            assertTrue(run.output().contains("--tag-bits must be 32, 48, 64 or 128"), run.output());
        }
        try (CliProcess run = CliProcess.run(dir, 30, "fieldbus", "commission", "--nodes", "128", "--dir", "x")) {
            assertEquals(2, run.exitValue(), run.output());
        }
        try (CliProcess run = CliProcess.run(dir, 60, "fieldbus", "rotate", "--dir", "empty")) {
            assertEquals(1, run.exitValue(), run.output());
        }
        // restore or rotate before any commission: one line, and nothing onboarded or written in the workspace
        for (String[] args : new String[][] {{"fieldbus", "restore", "--node", "3", "--dir", "none"},
            {"fieldbus", "rotate", "--dir", "none"}}) {
            try (CliProcess run = CliProcess.run(dir, 60, args)) {
                assertEquals(1, run.exitValue(), run.output());
                assertEquals(List.of("brski fieldbus " + args[1] + ": no simulated machine in "
                        + "./" + Path.of("none", "fieldbus", "machine-1") + "; run 'brski fieldbus commission' first"),
                        run.output().lines().filter(l -> !l.startsWith("--- std")).toList());
            }
            assertFalse(Files.exists(dir.resolve("none").resolve("pki")), "no PKI generated for a refused command");
        }
    }

    @Test
    void theLabelFileWithClearProvisioningKeysIsNotLeftInTheWorkspace() throws Exception {
        try (CliProcess run = CliProcess.run(dir, 120, "fieldbus", "commission", "--nodes", "2", "--dir", "w")) {
            assertTrue(run.assertSuccess().contains("2 commissioned"), run.output());
        }
        Path fieldbus = dir.resolve("w").resolve("fieldbus");
        try (var files = Files.list(fieldbus)) {
            List<Path> labels = files.filter(f -> f.getFileName().toString().endsWith(".csv")).toList();
            assertEquals(List.of(), labels, "imported label data (Provisioning Keys in clear) must not stay behind");
        }
    }

    @Test
    void rotateWithoutTheMachineOnDiskLeavesTheDomainAlone() throws Exception {
        try (CliProcess run = CliProcess.run(dir, 120, "fieldbus", "commission", "--nodes", "2", "--dir", "w")) {
            run.assertSuccess();
        }
        Path machine = dir.resolve("w").resolve("fieldbus").resolve("machine-1");
        Path away = dir.resolve("machine-1.away");
        Files.move(machine, away);
        try (CliProcess run = CliProcess.run(dir, 120, "fieldbus", "rotate", "--dir", "w")) {
            assertEquals(1, run.exitValue(), run.output());
            assertFalse(run.output().contains("rotated to key revision"), run.output());
        }
        Files.move(away, machine);
        try (CliProcess run = CliProcess.run(dir, 120, "fieldbus", "rotate", "--dir", "w")) {
            String out = run.assertSuccess();
            assertTrue(out.contains("rotated to key revision 2"), out);
            assertTrue(out.contains("2 commissioned"), out);
        }
    }

    /** A damaged node memory: one line naming the node and its file, exit 1, no stack trace, no wrong advice. */
    @Test
    void aCorruptedNodeMemoryIsNamedInOneLine() throws Exception {
        try (CliProcess run = CliProcess.run(dir, 120, "fieldbus", "commission", "--nodes", "5", "--dir", "w")) {
            run.assertSuccess();
        }
        Path image = dir.resolve("w").resolve("fieldbus").resolve("machine-1").resolve("node-004.nvm");
        Files.write(image, "garbage".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        for (List<String> args : List.of(List.of("commission"), List.of("rotate"), List.of("restore", "--node", "2"))) {
            List<String> command = new java.util.ArrayList<>(List.of("fieldbus"));
            command.addAll(args);
            command.addAll(List.of("--dir", "w"));
            try (CliProcess run = CliProcess.run(dir, 120, command.toArray(String[]::new))) {
                String out = run.output();
                assertEquals(1, run.exitValue(), out);
                List<String> errors = out.lines().filter(l -> l.startsWith("brski fieldbus")).toList();
                assertEquals(1, errors.size(), out);
                assertTrue(errors.get(0).contains("node 4: damaged memory image") && errors.get(0).contains("node-004.nvm"),
                        out);
                assertFalse(out.contains("run 'brski fieldbus commission' first"), out);
                assertFalse(out.contains("Exception") || out.contains("\tat "), out);
            }
        }
    }
}
