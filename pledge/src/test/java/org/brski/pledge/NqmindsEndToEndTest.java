package org.brski.pledge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.brski.masa.http.MasaServer;
import org.brski.pki.HeldCertificate;
import org.brski.pki.TestPki;
import org.brski.pkix.CertPaths;
import org.brski.pkix.Pem;
import org.brski.pledge.PledgeException.Reason;
import org.brski.pledge.cli.PledgeCommand;
import org.brski.registrar.RegistrarServer;
import org.brski.server.config.Compat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * End to end in the nqminds dialect: our pledge with {@code --compat nqminds} against our registrar and our MASA both
 * started with {@code compat: nqminds}, in process on port 0. It onboards and enrolls by the self-signed certificate,
 * from the library and from the command line; the same pledge without the option still onboards there the RFC 8995
 * way (compat adds a dialect, it takes nothing away), and a registrar without compat refuses the dialect.
 */
class NqmindsEndToEndTest {
    static TestPki pki;
    static MasaServer masa;
    static RegistrarServer compat;
    static RegistrarServer standard;

    @BeforeAll
    static void network() throws Exception {
        pki = TestPki.builder().pledges(0).build();
        masa = RegistrarIntegrationTest.masa(pki, Compat.NQMINDS);
        compat = RegistrarIntegrationTest.registrar(pki, Compat.NQMINDS);
        standard = RegistrarIntegrationTest.registrar(pki, Compat.NONE);
    }

    @AfterAll
    static void shutdown() {
        for (AutoCloseable c : new AutoCloseable[] {compat, standard, masa}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // closing test servers
            }
        }
    }

    static HeldCertificate idevid(String serial) throws Exception {
        return RegistrarIntegrationTest.idevid(pki, masa, serial, true);
    }

    static Pledge pledge(HeldCertificate idevid, Dialect dialect) throws PledgeException {
        return Pledge.builder().idevid(idevid.privateKey(), idevid.chainWithSelf())
                .masaAnchors(List.of(pki.manufacturerCa().certificate()))
                .options(PledgeOptions.builder().exchangeTimeout(Duration.ofSeconds(20)).dialect(dialect).build())
                .build();
    }

    @Test
    void onboardsAndEnrollsInTheDialect(@TempDir Path dir) throws Exception {
        HeldCertificate idevid = idevid("NQ-E2E-1");

        OnboardingResult result = pledge(idevid, Dialect.NQMINDS).onboard(compat.uri());

        assertEquals("NQ-E2E-1", result.voucher().serialNumber());
        assertEquals(X500Name.getInstance(idevid.certificate().getSubjectX500Principal().getEncoded()),
                X500Name.getInstance(result.ldevid().getSubjectX500Principal().getEncoded()), "the IDevID's subject");
        assertTrue(OnboardingResult.keyMatches(result.ldevidKey(), result.ldevid()));
        CertPaths.validate(result.ldevid(), result.ldevidChain(), List.of(pki.domainCa().certificate()), Instant.now());
        assertEquals(1, compat.registrar().store().device("NQ-E2E-1").orElseThrow().certificates());
        assertTrue(compat.registrar().store().issuedCertificate(result.ldevid()).isPresent());

        result.save(dir);
        assertEquals(result.ldevid(), OnboardingResult.load(dir).ldevid());
    }

    @Test
    void theCommandLineOnboardsWithCompatNqminds(@TempDir Path dir) throws Exception {
        HeldCertificate idevid = idevid("NQ-E2E-CLI");
        Pem.writeCertificates(dir.resolve("idevid.pem"), idevid.chainWithSelf());
        Pem.writePrivateKey(dir.resolve("idevid.key"), idevid.privateKey());
        Pem.writeCertificates(dir.resolve("masa-anchor.pem"), List.of(pki.manufacturerCa().certificate()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new PledgeCommand()).setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true));

        int code = cli.execute("onboard", "--compat", "nqminds", "--idevid-key", dir.resolve("idevid.key").toString(),
                "--idevid-cert", dir.resolve("idevid.pem").toString(), "--masa-anchor",
                dir.resolve("masa-anchor.pem").toString(), "--registrar", compat.uri().toString(), "--out",
                dir.resolve("state").toString(), "--timeout", "20");

        assertEquals(0, code, out + "\n" + err);
        assertTrue(out.toString().contains("certificate(s) received for the self-signed request"), out.toString());
        assertEquals(2, cli.execute("onboard", "--compat", "openssl", "--idevid-key", "k", "--idevid-cert", "c",
                "--masa-anchor", "a", "--registrar", compat.uri().toString(), "--out", dir.toString()));
        assertTrue(err.toString().contains("compat must be none, rfc8995 or nqminds"), err.toString());
    }

    @Test
    void compatAddsTheDialectAndTakesNothingAway() throws Exception {
        OnboardingResult strict = pledge(idevid("NQ-E2E-STRICT"), Dialect.RFC8995).onboard(compat.uri());
        assertEquals("NQ-E2E-STRICT", strict.voucher().serialNumber());

        PledgeException refused = assertThrows(PledgeException.class,
                () -> pledge(idevid("NQ-E2E-NOCOMPAT"), Dialect.NQMINDS).onboard(standard.uri()));
        assertEquals(Reason.HTTP_STATUS, refused.reason(), refused::toString);
        assertTrue(refused.getMessage().contains("400") && refused.getMessage().contains("base64"),
                refused.getMessage());
    }
}
