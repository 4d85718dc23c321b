package org.brski.pledge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.brski.pki.PkiFiles;
import org.brski.pki.TestPki;
import org.brski.pledge.OnboardingResult;
import org.brski.pledge.TestRegistrars;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code brski pledge onboard|reenroll} against the in-process registrar. */
class PledgeCommandTest {
    static TestPki pki;

    @TempDir
    static Path pkiDir;

    @TempDir
    Path dir;

    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    @BeforeAll
    static void writePki() throws Exception {
        pki = TestPki.builder().pledges(2).build();
        PkiFiles.write(pki, pkiDir, false);
    }

    int run(String... args) {
        return new CommandLine(new PledgeCommand()).setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true)).execute(args);
    }

    @Test
    void onboardsThenReenrollsFromATestPkiDirectory() throws Exception {
        AtomicReference<URI> uri = new AtomicReference<>();
        try (AutoCloseable registrar = TestRegistrars.start(pki, uri::set)) {
            Path state = dir.resolve("state");
            int code = run("onboard", "--pki", pkiDir.toString(), "--serial", "BRSKI-0002",
                    "--registrar", uri.get().toString(), "--out", state.toString(), "--timeout", "10");
            assertEquals(0, code, out + "\n" + err);
            String text = out.toString();
            for (String step : new String[] {"connect", "requestvoucher", "verify voucher", "authenticate registrar",
                "voucher_status", "cacerts", "csrattrs", "simpleenroll", "verify certificate", "enrollstatus"}) {
                assertTrue(text.contains("[ok  ] " + step), "step " + step + " printed:\n" + text);
            }
            assertTrue(Files.exists(state.resolve("ldevid-key.pem")));
            OnboardingResult saved = OnboardingResult.load(state);
            assertEquals("BRSKI-0002", saved.voucher().serialNumber());

            out.getBuffer().setLength(0);
            assertEquals(0, run("reenroll", "--state", state.toString()), out + "\n" + err);
            assertTrue(out.toString().contains("re-enrolled"), out.toString());
            assertFalse(saved.ldevid().equals(OnboardingResult.load(state).ldevid()));
        }
    }

    @Test
    void onboardsFromExplicitFilesAndFailsWithExitCode1WhenThePledgeRefuses() throws Exception {
        TestPki other = TestPki.builder().build();
        AtomicReference<URI> uri = new AtomicReference<>();
        try (AutoCloseable registrar = TestRegistrars.startMispinned(pki, other, uri::set)) {
            Path idevid = pkiDir.resolve("pledges/BRSKI-0001/idevid.pem");
            Path key = pkiDir.resolve("pledges/BRSKI-0001/idevid.key");
            int code = run("onboard", "--idevid-key", key.toString(), "--idevid-cert", idevid.toString(),
                    "--masa-anchor", pkiDir.resolve("manufacturer-ca.pem").toString(),
                    "--registrar", uri.get().toString(), "--out", dir.resolve("state").toString());
            assertEquals(1, code, out + "\n" + err);
            assertTrue(err.toString().contains("FAILED at authenticate registrar (registrar-not-pinned)"),
                    err.toString());
            assertTrue(out.toString().contains("[failed] authenticate registrar"), out.toString());
            assertFalse(Files.exists(dir.resolve("state")), "nothing is saved after a refusal");
        }
    }

    @Test
    void noClockOnboardsAndReenrollsWithoutJudgingDates() throws Exception {
        AtomicReference<URI> uri = new AtomicReference<>();
        try (AutoCloseable registrar = TestRegistrars.start(pki, uri::set)) {
            Path state = dir.resolve("state");
            int code = run("onboard", "--pki", pkiDir.toString(), "--serial", "BRSKI-0001", "--no-clock",
                    "--registrar", uri.get().toString(), "--out", state.toString(), "--timeout", "10");
            assertEquals(0, code, out + "\n" + err);
            assertTrue(out.toString().contains("[ok  ] verify voucher") && out.toString().contains(
                    "(no trusted clock: validity dates not judged)"), out.toString());

            out.getBuffer().setLength(0);
            assertEquals(0, run("reenroll", "--state", state.toString(), "--no-clock"), out + "\n" + err);
            assertTrue(out.toString().contains("no trusted clock"), out.toString());
        }
    }

    @Test
    void rejectsBadCommandLines() {
        assertEquals(2, run("onboard", "--registrar", "https://127.0.0.1:1", "--out", dir.toString()));
        assertEquals(2, run("onboard", "--pki", pkiDir.toString(), "--serial", "NOPE",
                "--registrar", "https://127.0.0.1:1", "--out", dir.toString()));
        assertEquals(1, run("reenroll", "--state", dir.resolve("missing").toString()));
    }
}
