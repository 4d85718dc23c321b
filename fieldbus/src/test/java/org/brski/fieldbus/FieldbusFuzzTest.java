package org.brski.fieldbus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.brski.fieldbus.canopen.CanBus;
import org.brski.fieldbus.canopen.CanFrame;
import org.brski.fieldbus.canopen.SdoServer;
import org.brski.fieldbus.crypto.Aead;
import org.brski.fieldbus.keys.KeyPackageCms;
import org.brski.fieldbus.keys.PackagedKey;
import org.brski.fieldbus.keys.SymmetricKeyPackage;
import org.brski.fieldbus.node.Direction;
import org.brski.fieldbus.node.FieldbusNode;
import org.brski.fieldbus.node.NodeConfig;
import org.brski.fieldbus.node.SecureMessage;
import org.brski.pki.Fuzz;
import org.brski.pki.HeldCertificate;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes what the fieldbus side parses from others: RFC 6031 symmetric key packages (the registrar's escrow endpoint,
 * the controller's key fetch), their CMS EnvelopedData, sealed WP-104 messages, and SDO frames a bus peer sends a node
 * (CiA 301, classical CAN and CAN FD). Parsers may throw only {@link FieldbusException}; a node must never throw out of
 * a frame and must still answer afterwards. See {@link Fuzz} for a longer run.
 */
class FieldbusFuzzTest {
    private static final byte[] KEY = HexFormat.of().parseHex("8f3a1c2b9e7d6054a1b2c3d4e5f60718");

    private static SymmetricKeyPackage pkg() {
        return SymmetricKeyPackage.of("machine-7", List.of(PackagedKey.integrator(KEY.clone(), 0x1234, 3),
                PackagedKey.provisioning(305419896L, HexFormat.of().parseHex("11d2e3f40516a7b8c9dae0f102132435"),
                        0x55), PackagedKey.operator(HexFormat.of().parseHex(
                        "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20"), 0x77, 1)));
    }

    @Test
    void keyPackages() {
        List<byte[]> seeds = List.of(pkg().encoded(), SymmetricKeyPackage.of("m", List.of(PackagedKey.integrator(
                KEY.clone(), 1, 1))).encoded());
        assertTrue(Fuzz.run("RFC 6031 key package", seeds, 64 * 1024, FieldbusException.class,
                SymmetricKeyPackage::decode) >= seeds.size());
    }

    @Test
    void envelopedKeyPackages() throws FieldbusException {
        HeldCertificate controller = HeldCertificate.builder().commonName("controller").build();
        List<byte[]> seeds = List.of(KeyPackageCms.envelope(pkg(), controller.certificate()));
        assertTrue(Fuzz.run("CMS EnvelopedData key package", seeds, 64 * 1024, FieldbusException.class,
                in -> KeyPackageCms.open(in, controller.privateKey(), controller.certificate())) >= seeds.size());
    }

    @Test
    void sealedMessages() throws FieldbusException {
        Aead aead = Aead.of(KEY, 64);
        List<byte[]> seeds = List.of(
                SecureMessage.seal(aead, 5, Direction.CLIENT_TO_NODE, KeyRole.INTEGRATOR, 9, 0x2100, 0, new byte[20])
                        .encoded(),
                SecureMessage.seal(aead, 5, Direction.CLIENT_TO_NODE, KeyRole.PROVISIONING, 1, 0x5F01, 1,
                        new byte[40]).encoded());
        assertTrue(Fuzz.run("sealed message", seeds, 4096, FieldbusException.class, in -> {
            for (int tagBits : new int[] {32, 64, 128}) {
                try {
                    SecureMessage.parse(in, tagBits).open(aead, 5, Direction.CLIENT_TO_NODE, 0x2100, 0);
                } catch (FieldbusException expected) {
                    // the parser's or the tag check's own answer
                }
            }
        }) >= seeds.size());
    }

    /** SDO requests (any command, index, sub-index, size and segment) from a bus peer to a real node. */
    @Test
    void sdoFrames() {
        for (CanBus bus : List.of(CanBus.classic(500_000), CanBus.fd(500_000, 2_000_000))) {
            FieldbusNode node = FieldbusNode.create(NodeConfig.of(5, 100_001));
            SdoServer.attach(bus, 5, node, () -> { });
            List<CanFrame> answers = new ArrayList<>();
            bus.attach(0x585, answers::add);
            int payload = bus.kind() == org.brski.fieldbus.canopen.BusKind.CAN_FD ? 64 : 8;
            HexFormat hex = HexFormat.of();
            List<byte[]> seeds = List.of(hex.parseHex("4018100400000000"), hex.parseHex("40005f0000000000"),
                    hex.parseHex("2b00210005000000"), hex.parseHex("21015f0129000000"),
                    hex.parseHex("0000000000000000"), hex.parseHex("10000000000000000000"),
                    hex.parseHex("60000000000000"), hex.parseHex("2f035f0001"), hex.parseHex("80000000000000"));
            int tried = Fuzz.run("SDO frames on " + bus.kind(), seeds, payload, FieldbusException.class,
                    in -> {
                        byte[] data = in.length > payload ? Arrays.copyOf(in, payload) : in; // what one frame carries
                        bus.send(bus.kind() == org.brski.fieldbus.canopen.BusKind.CAN_FD
                                ? CanFrame.fd(0x605, data) : CanFrame.classic(0x605, data));
                    });
            assertTrue(tried >= seeds.size());
            answers.clear();
            bus.send(bus.kind() == org.brski.fieldbus.canopen.BusKind.CAN_FD
                    ? CanFrame.fd(0x605, hex.parseHex("80000000000000000000000000000000"))
                    : CanFrame.classic(0x605, hex.parseHex("8000000000000000")));
            bus.send(bus.kind() == org.brski.fieldbus.canopen.BusKind.CAN_FD
                    ? CanFrame.fd(0x605, Arrays.copyOf(hex.parseHex("4018100400000000"), 8))
                    : CanFrame.classic(0x605, hex.parseHex("4018100400000000")));
            assertEquals(1, answers.size(), "the node still answers an upload of 0x1018:4: " + answers);
            assertEquals(0x43, answers.get(0).byteAt(0), "expedited upload response: " + answers.get(0));
        }
    }
}
