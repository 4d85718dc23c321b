package org.brski.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.brski.interop.cases.Catalogue;
import org.brski.interop.cli.InteropCommand;
import org.brski.pki.PkiFiles;
import org.brski.pki.TestPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code brski interop} with a tester's own credentials (--idevid-cert/--idevid-key, --masa-anchor, optionally the
 * manufacturer CA and key) instead of --pki, against our own services: every required case passes or does not apply,
 * the cases needing a fresh IDevID do not apply without the manufacturer key; and the form's argument checks.
 */
class InteropCredentialsTest {
    private static final Pattern LINE = Pattern.compile("(PASS|FAIL|DIFFERS|N/A|KNOWN) +(\\S+) +\\[(\\w+), .*");

    static TestPki pki;
    static OwnServices services;
    @TempDir
    static Path dir;
    static Path pkiDir;

    @BeforeAll
    static void start() throws Exception {
        pki = TestPki.builder().pledges(3).build();
        pkiDir = dir.resolve("pki");
        PkiFiles.write(pki, pkiDir, false);
        services = OwnServices.start(PkiFiles.read(pkiDir));
    }

    @AfterAll
    static void stop() {
        if (services != null) {
            services.close();
        }
    }

    /** The explicit-files arguments for the PKI's pledges and manufacturer CA as anchor (not as issuer). */
    private static List<String> explicitArgs() {
        List<String> args = new ArrayList<>(List.of("--registrar", services.registrarUri().toString(),
                "--masa", services.masaUri().toString(), "--timeout", "20"));
        for (String serial : pki.serials()) {
            args.addAll(List.of("--idevid-cert", pkiDir.resolve("pledges/" + serial + "/idevid.pem").toString(),
                    "--idevid-key", pkiDir.resolve("pledges/" + serial + "/idevid.key").toString()));
        }
        args.addAll(List.of("--masa-anchor", pkiDir.resolve("manufacturer-ca.pem").toString()));
        return args;
    }

    private record Run(int code, String out, String err, Map<String, String[]> byId) {
    }

    private static Run run(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new CommandLine(new InteropCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute(args.toArray(new String[0]));
        Map<String, String[]> byId = out.toString().lines().map(LINE::matcher).filter(Matcher::matches)
                .collect(Collectors.toMap(m -> m.group(2), m -> new String[] {m.group(1), m.group(3), m.group(0)}));
        return new Run(code, out.toString(), err.toString(), byId);
    }

    private static void assertRequiredPassOrNotApplicable(Run run) {
        assertEquals(0, run.code(), run.out() + "\n" + run.err());
        assertEquals(Catalogue.all().size(), run.byId().size(), run.out());
        for (String[] line : run.byId().values()) {
            if (line[1].equals("required")) {
                assertTrue(line[0].equals("PASS") || line[0].equals("N/A"), line[2]);
            }
        }
        // Without the registrar's credentials the MASA is not tested directly, and says why.
        assertEquals("N/A", run.byId().get("masa-voucher")[0]);
        assertTrue(run.byId().get("masa-voucher")[2].contains("registrar's certificate and key"),
                run.byId().get("masa-voucher")[2]);
        // The foreign manufacturer is generated on the fly in either case.
        assertEquals("PASS", run.byId().get("pvr-unknown-manufacturer")[0],
                run.byId().get("pvr-unknown-manufacturer")[2]);
        assertEquals("PASS", run.byId().get("voucher-verifies")[0], run.byId().get("voucher-verifies")[2]);
    }

    @Test
    void ownIdevidsWithoutTheManufacturerKeyMarkTheCasesNeedingItNotApplicable() {
        Run run = run(explicitArgs());
        System.out.println(run.out());

        assertRequiredPassOrNotApplicable(run);
        String[] withoutVoucher = run.byId().get("est-simpleenroll-without-voucher");
        assertEquals("N/A", withoutVoucher[0], withoutVoucher[2]);
        assertTrue(withoutVoucher[2].contains("--manufacturer-key"), withoutVoucher[2]);
        // Only cases --help lists are not applicable for want of the key (the MASA's do not apply anyway: no registrar).
        Set<String> needingKey = run.byId().entrySet().stream()
                .filter(e -> e.getValue()[0].equals("N/A")
                        && e.getValue()[2].contains(InteropContext.NEEDS_MANUFACTURER_KEY))
                .map(Map.Entry::getKey).collect(Collectors.toSet());
        assertEquals(Set.of("est-simpleenroll-without-voucher"), needingKey);
        assertTrue(Catalogue.NEEDS_MANUFACTURER_KEY.containsAll(needingKey));
        assertTrue(run.byId().get("masa-unknown-device")[2].contains("positive case masa-voucher did not apply"),
                run.byId().get("masa-unknown-device")[2]);
    }

    @Test
    void ownIdevidsWithTheManufacturerKeyRunTheFreshIdevidCases() {
        List<String> args = explicitArgs();
        args.addAll(List.of("--manufacturer-ca", pkiDir.resolve("manufacturer-ca.pem").toString(),
                "--manufacturer-key", pkiDir.resolve("manufacturer-ca.key").toString()));
        Run run = run(args);

        assertRequiredPassOrNotApplicable(run);
        assertEquals("PASS", run.byId().get("est-simpleenroll-without-voucher")[0],
                run.byId().get("est-simpleenroll-without-voucher")[2]);
        assertTrue(run.byId().values().stream().noneMatch(l -> l[2].contains(InteropContext.NEEDS_MANUFACTURER_KEY)));
    }

    @Test
    void helpNamesTheCasesNeedingTheManufacturerKey() {
        StringWriter out = new StringWriter();
        assertEquals(0, new CommandLine(new InteropCommand()).setOut(new PrintWriter(out)).execute("--help"));
        String help = out.toString().replaceAll("\\s+", " ");
        assertTrue(help.contains("--idevid-cert") && help.contains("--manufacturer-key"), help);
        for (String id : Catalogue.NEEDS_MANUFACTURER_KEY) {
            assertTrue(help.contains(id), id + " in " + help);
        }
    }

    @Test
    void bothFormsNeitherFormOrUnpairedIdevidFilesExitWithTwo() {
        String cert = pkiDir.resolve("pledges/" + pki.serials().get(0) + "/idevid.pem").toString();
        String key = pkiDir.resolve("pledges/" + pki.serials().get(0) + "/idevid.key").toString();
        String anchor = pkiDir.resolve("manufacturer-ca.pem").toString();
        String registrar = "https://127.0.0.1:1";

        Run both = run(List.of("--registrar", registrar, "--pki", pkiDir.toString(), "--idevid-cert", cert,
                "--idevid-key", key, "--masa-anchor", anchor));
        assertEquals(2, both.code());
        assertTrue(both.err().contains("not both"), both.err());

        Run neither = run(List.of("--registrar", registrar));
        assertEquals(2, neither.code());
        assertTrue(neither.err().contains("--pki") && neither.err().contains("--idevid-cert"), neither.err());

        Run odd = run(List.of("--registrar", registrar, "--idevid-cert", cert, "--idevid-key", key,
                "--idevid-cert", cert, "--masa-anchor", anchor));
        assertEquals(2, odd.code());
        assertTrue(odd.err().contains("pairs"), odd.err());

        Run noAnchor = run(List.of("--registrar", registrar, "--idevid-cert", cert, "--idevid-key", key));
        assertEquals(2, noAnchor.code());
        assertTrue(noAnchor.err().contains("--masa-anchor"), noAnchor.err());

        Run wrongKey = run(List.of("--registrar", registrar, "--idevid-cert", cert, "--idevid-key",
                pkiDir.resolve("manufacturer-ca.key").toString(), "--masa-anchor", anchor));
        assertEquals(2, wrongKey.code());
        assertTrue(wrongKey.err().contains("does not match"), wrongKey.err());
    }
}
