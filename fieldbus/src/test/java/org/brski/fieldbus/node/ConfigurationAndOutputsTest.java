package org.brski.fieldbus.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.charset.StandardCharsets;

import org.brski.fieldbus.KeyRole;
import org.brski.fieldbus.canopen.SdoAbort;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** EmSA WP-104 3.3 configuration protection (0x2100) and 3.1 operational I/O (0x6200:1). */
class ConfigurationAndOutputsTest {
    private final Bench bench = Bench.fresh();
    private final FieldbusNode node = bench.node;
    private Bench.Keys keys;

    @BeforeEach
    void commission() throws SdoAbort {
        keys = bench.commission(true);
    }

    /** "The Integrator Key (or a Session Key derived from it) shall be used to protect default configurations." */
    @Test
    void configurationWrittenUnderIntegratorOrOperatorKeyAndReadPlain() throws Exception {
        byte[] cfg = "speed=250k;mode=auto".getBytes(StandardCharsets.US_ASCII);
        bench.writeSecure(bench.channel(KeyRole.INTEGRATOR, keys.ik), NodeObjects.PROTECTED_CONFIG, 0, cfg);
        assertArrayEquals(cfg, node.read(NodeObjects.PROTECTED_CONFIG, 0));
        byte[] runtime = "mode=manual".getBytes(StandardCharsets.US_ASCII);
        bench.writeSecure(bench.channel(KeyRole.OPERATOR, keys.ok), NodeObjects.PROTECTED_CONFIG, 0, runtime);
        assertArrayEquals(runtime, node.read(NodeObjects.PROTECTED_CONFIG, 0));
    }

    @Test
    void configurationRefusesPlainWritesPkSessionsAndTampering() throws Exception {
        byte[] before = node.read(NodeObjects.PROTECTED_CONFIG, 0);
        bench.assertRefused(SdoAbort.LENGTH_MISMATCH, "malformed-message",
                () -> node.write(NodeObjects.PROTECTED_CONFIG, 0, new byte[] {1, 2}));
        bench.assertRefused(SdoAbort.CANNOT_STORE, "role-not-allowed", () -> bench.writeSecure(
                bench.channel(KeyRole.PROVISIONING, keys.pk), NodeObjects.PROTECTED_CONFIG, 0, new byte[] {1}));
        byte[] msg = bench.channel(KeyRole.INTEGRATOR, keys.ik).seal(NodeObjects.PROTECTED_CONFIG, 0, new byte[] {9, 9});
        msg[5] ^= 1;
        bench.assertRefused(SdoAbort.CANNOT_STORE, "bad-tag", () -> node.write(NodeObjects.PROTECTED_CONFIG, 0, msg));
        assertArrayEquals(before, node.read(NodeObjects.PROTECTED_CONFIG, 0));
    }

    @Test
    void configurationSurvivesPowerCycle() throws Exception {
        byte[] cfg = {1, 2, 3};
        bench.writeSecure(bench.channel(KeyRole.INTEGRATOR, keys.ik), NodeObjects.PROTECTED_CONFIG, 0, cfg);
        node.powerCycle();
        assertArrayEquals(cfg, node.read(NodeObjects.PROTECTED_CONFIG, 0));
    }

    @Test
    void outputsWorkWhenCommissionedAndResetAtPowerCycle() throws Exception {
        node.write(NodeObjects.DIGITAL_OUTPUTS, 1, new byte[] {0x0F});
        assertArrayEquals(new byte[] {0x0F}, node.read(NodeObjects.DIGITAL_OUTPUTS, 1));
        assertArrayEquals(new byte[] {1}, node.read(NodeObjects.DIGITAL_OUTPUTS, 0));
        bench.assertRefused(SdoAbort.LENGTH_MISMATCH, "wrong-length", () -> node.write(NodeObjects.DIGITAL_OUTPUTS, 1, new byte[2]));
        node.powerCycle();
        assertArrayEquals(new byte[] {0}, node.read(NodeObjects.DIGITAL_OUTPUTS, 1));
    }
}
