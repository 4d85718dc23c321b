package org.brski.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.brski.pki.PkiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's working directory: reuse, refusal of a too small PKI, and {@code --fresh} touching only its own files. */
class WorkspaceTest {
    @TempDir
    Path dir;

    @Test
    void generatesThenReusesThePki() throws Exception {
        Workspace ws = new Workspace(dir);
        Workspace.Prepared first = ws.preparePki(2);
        assertTrue(first.created());
        Workspace.Prepared second = ws.preparePki(1);
        assertFalse(second.created());
        assertEquals(first.pki().manufacturerCa().certificate(), second.pki().manufacturerCa().certificate());
        PkiException tooSmall = assertThrows(PkiException.class, () -> ws.preparePki(3));
        assertTrue(tooSmall.getMessage().contains("--fresh"), tooSmall.getMessage());
    }

    @Test
    void freshRemovesOnlyTheDemosOwnState() throws Exception {
        Workspace ws = new Workspace(dir);
        ws.preparePki(1);
        Files.createDirectories(ws.pledgeState("BRSKI-0001"));
        Files.writeString(ws.pledgeState("BRSKI-0001").resolve("ldevid.pem"), "x");
        Files.writeString(dir.resolve("masa-db.mv.db"), "x");
        Files.writeString(dir.resolve("notes.txt"), "mine");
        Files.createDirectories(dir.resolve("other"));

        ws.clean();

        assertFalse(ws.hasPki());
        assertFalse(Files.exists(dir.resolve(Workspace.PLEDGES)));
        assertFalse(Files.exists(dir.resolve("masa-db.mv.db")));
        assertEquals("mine", Files.readString(dir.resolve("notes.txt")));
        assertTrue(Files.isDirectory(dir.resolve("other")));
        assertTrue(ws.preparePki(1).created());
    }
}
