package org.brski.fieldbus.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.brski.fieldbus.FieldbusException;
import org.brski.fieldbus.canopen.CanBus;
import org.brski.fieldbus.node.SessionProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Saving and loading a machine: private files (the images hold key bytes), one node per CANopen node id (CiA 301), or
 * SDO answers collide on 0x580 + id.
 */
class SimulatedMachineTest {

    @Test
    void indexListingOneNodeIdTwiceIsRefused(@TempDir Path dir) throws IOException {
        SimulatedMachine.create(CanBus.classic(500_000), 2, 0x100, SessionProfile.defaults()).save(dir);
        Path index = dir.resolve("nodes.txt");
        String first = Files.readAllLines(index, StandardCharsets.US_ASCII).get(0);
        Files.writeString(index, first + "\n" + first + "\n", StandardCharsets.US_ASCII);
        FieldbusException e = assertThrows(FieldbusException.class,
                () -> SimulatedMachine.load(CanBus.classic(500_000), dir, SessionProfile.defaults()));
        assertEquals("machine-state", e.reason());
    }

    /** The images hold key bytes (the devices' secure storage): a new directory is 0700, the images 0600. */
    @Test
    void saveCreatesAPrivateDirectoryWithPrivateImages(@TempDir Path tmp) throws IOException {
        assumeTrue(tmp.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path dir = tmp.resolve("a").resolve("machine");
        SimulatedMachine.create(CanBus.classic(500_000), 2, 0x100, SessionProfile.defaults()).save(dir);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), f.toString());
            }
        }
        // saving again into the existing directory works and keeps it private
        SimulatedMachine.create(CanBus.classic(500_000), 2, 0x100, SessionProfile.defaults()).save(dir);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
    }

    @Test
    void savedMachineLoads(@TempDir Path dir) throws IOException, FieldbusException {
        SimulatedMachine.create(CanBus.classic(500_000), 3, 0x100, SessionProfile.defaults()).save(dir);
        assertEquals(3, SimulatedMachine.load(CanBus.classic(500_000), dir, SessionProfile.defaults()).nodes().size());
    }

    /** A corrupted image among many: the refusal names the node and its file, so the operator knows which one. */
    @Test
    void damagedImageIsNamedInTheRefusal(@TempDir Path dir) throws IOException {
        SimulatedMachine.create(CanBus.classic(500_000), 5, 0x100, SessionProfile.defaults()).save(dir);
        Path image = dir.resolve("node-004.nvm");
        byte[] bytes = Files.readAllBytes(image);
        bytes[20] ^= 1;
        Files.write(image, bytes);
        FieldbusException e = assertThrows(FieldbusException.class,
                () -> SimulatedMachine.load(CanBus.classic(500_000), dir, SessionProfile.defaults()));
        assertEquals("machine-state", e.reason());
        assertTrue(e.getMessage().startsWith("node 4: damaged memory image " + image + ": "), e.getMessage());
        Files.delete(image);
        e = assertThrows(FieldbusException.class,
                () -> SimulatedMachine.load(CanBus.classic(500_000), dir, SessionProfile.defaults()));
        assertEquals("node 4: cannot read " + image + ": missing", e.getMessage());
    }

    /** Images without their index are a damaged machine, not an absent one that a new run would create over them. */
    @Test
    void imagesWithoutIndexAreADamagedMachine(@TempDir Path dir) throws IOException {
        SimulatedMachine.create(CanBus.classic(500_000), 2, 0x100, SessionProfile.defaults()).save(dir);
        Files.delete(dir.resolve("nodes.txt"));
        assertTrue(SimulatedMachine.exists(dir));
        FieldbusException e = assertThrows(FieldbusException.class,
                () -> SimulatedMachine.load(CanBus.classic(500_000), dir, SessionProfile.defaults()));
        assertTrue(e.getMessage().startsWith("node images without their index"), e.getMessage());
        assertFalse(SimulatedMachine.exists(dir.resolve("none")));
    }
}
