package org.brski.interop.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.brski.interop.Credentials;
import org.brski.interop.InteropContext;
import org.brski.interop.InteropReport;
import org.brski.interop.InteropRunner;
import org.brski.interop.Profile;
import org.brski.interop.cases.Catalogue;
import org.brski.interop.report.ConsoleReport;
import org.brski.interop.report.JUnitXmlReport;
import org.brski.interop.report.MarkdownReport;
import org.brski.interop.report.ReportException;
import org.brski.pki.HeldCertificate;
import org.brski.pki.PkiException;
import org.brski.pki.PkiFiles;
import org.brski.pkix.Pem;
import org.brski.pkix.PkixException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code brski interop}: runs the case catalogue against a registrar (and a MASA) and writes the reports. Exit codes:
 * 0 every required case passed, 1 a required case failed, 2 bad input (options, PKI directory, report directory).
 */
@Command(name = "interop", mixinStandardHelpOptions = true,
        description = {"Run the BRSKI interop catalogue (RFC 8995, RFC 7030, RFC 8951) against a registrar and, with"
                + " --masa, a MASA. Prints one line per case and a summary; writes interop-results.xml (JUnit) and"
                + " interop-report.md to --report. Exit 0 when every required case passes, 1 otherwise, 2 on bad input.",
            "",
            "Identities: either --pki DIR (a test PKI as `brski pki init` writes it), or your own device credentials:"
                + " --idevid-cert PEM --idevid-key PEM once per known pledge (its serial is the certificate's X520"
                + " serialNumber; the cert file may carry the issuer chain after it), --masa-anchor PEM for the"
                + " vouchers, and optionally --manufacturer-ca PEM --manufacturer-key PEM. Without --pki, cases that"
                + " test the MASA directly are not applicable (they need the registrar's certificate and key).",
            "",
            "Preconditions for the required positive cases:"},
        footer = {"",
            "Verdicts: PASS (met, for the reason the case tests), FAIL (a required case not met: exit 1), DIFFERS (an"
                + " optional case not met: behaviour the RFCs leave open, e.g. 400 vs 403 vs 406), N/A (not applicable,"
                + " with the reason: another profile, a credential not given, or 'precondition failed' when the"
                + " endpoint's positive case did not pass or the answer cannot show a refusal was for the reason"
                + " tested: a 404/405, a reset or TLS alert, a problem naming another reason), KNOWN (a documented"
                + " deviation of the profile's peer, not failing). A run against a pre-RFC BRSKI draft (draft 07, under"
                + " /.well-known/est/) stops after voucher-positive.",
            "",
            "The nqminds-compat profile speaks the nqminds brski dialect: base64"
                + " voucher-request bodies, the ietf-voucher:voucher request root, an empty probe POST first, vouchers"
                + " without created-on tolerated."})
public final class InteropCommand implements Callable<Integer> {
    private CommandSpec spec;

    /** Picocli hands over the command spec; the preconditions are appended to the description for {@code --help}. */
    @Spec
    void spec(CommandSpec commandSpec) {
        this.spec = commandSpec;
        List<String> description = new ArrayList<>(List.of(commandSpec.usageMessage().description()));
        for (String precondition : InteropReport.PRECONDITIONS) {
            description.add("  - " + precondition);
        }
        commandSpec.usageMessage().description(description.toArray(new String[0]));
        List<String> footer = new ArrayList<>(List.of(commandSpec.usageMessage().footer()));
        footer.add("");
        footer.add("Cases that need the manufacturer CA key (a fresh IDevID; not applicable without --pki or"
                + " --manufacturer-key): " + String.join(", ", Catalogue.NEEDS_MANUFACTURER_KEY) + ".");
        commandSpec.usageMessage().footer(footer.toArray(new String[0]));
    }

    @Option(names = "--registrar", required = true, paramLabel = "URL",
            description = "The registrar, https://host:port")
    String registrar;

    @Option(names = "--pki", paramLabel = "DIR",
            description = "A test PKI directory (pki.json, as `brski pki init` writes it) with the pledges the MASA knows")
    Path pki;

    @Option(names = "--idevid-cert", paramLabel = "PEM",
            description = "IDevID certificate of a pledge the MASA knows (repeatable, paired in order with --idevid-key)")
    List<Path> idevidCerts = new ArrayList<>();

    @Option(names = "--idevid-key", paramLabel = "PEM", description = "The private key of the matching --idevid-cert")
    List<Path> idevidKeys = new ArrayList<>();

    @Option(names = "--masa-anchor", paramLabel = "PEM",
            description = "A trust anchor for the MASA's voucher signatures (repeatable; required without --pki)")
    List<Path> masaAnchors = new ArrayList<>();

    @Option(names = "--manufacturer-ca", paramLabel = "PEM",
            description = "The manufacturer CA that issued the IDevIDs (with --manufacturer-key: fresh IDevIDs)")
    Path manufacturerCa;

    @Option(names = "--manufacturer-key", paramLabel = "PEM", description = "The private key of --manufacturer-ca")
    Path manufacturerKey;

    @Option(names = "--masa", paramLabel = "URL", description = "Also test this MASA directly, https://host:port")
    String masa;

    @Option(names = "--profile", paramLabel = "NAME", defaultValue = "default",
            description = "default or nqminds-compat (default: ${DEFAULT-VALUE})")
    String profile;

    @Option(names = "--report", paramLabel = "DIR", description = "Write interop-results.xml and interop-report.md here")
    Path report;

    @Option(names = "--timeout", paramLabel = "S", defaultValue = "10",
            description = "Seconds per exchange and per case (default: ${DEFAULT-VALUE})")
    int timeout;

    /** Instantiated by picocli. */
    public InteropCommand() {
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Profile chosen;
        URI registrarUri;
        URI masaUri;
        Credentials loaded;
        String source;
        try {
            chosen = Profile.parse(profile);
            registrarUri = https(registrar, "--registrar");
            masaUri = masa == null ? null : https(masa, "--masa");
            if (timeout < 1 || timeout > 600) {
                throw new IllegalArgumentException("--timeout must be between 1 and 600 seconds");
            }
            if (pki != null) {
                if (explicitForm()) {
                    throw new IllegalArgumentException("use either --pki DIR or --idevid-cert/--idevid-key (with"
                            + " --masa-anchor, --manufacturer-ca, --manufacturer-key), not both");
                }
                loaded = Credentials.of(PkiFiles.read(pki));
                source = pki.toString();
            } else {
                loaded = explicitCredentials();
                source = loaded.pledges().size() + " IDevID(s) " + idevidCerts + ", MASA anchor(s) " + masaAnchors
                        + (manufacturerCa != null ? ", manufacturer CA " + manufacturerCa + " with key"
                                : ", no manufacturer CA key");
            }
        } catch (IllegalArgumentException | PkiException | PkixException e) {
            err.println("brski interop: " + e.getMessage());
            return 2;
        }
        InteropContext context = InteropContext.of(registrarUri, masaUri, loaded, chosen,
                Duration.ofSeconds(timeout), Clock.systemUTC());
        out.println("brski interop: registrar " + registrarUri + (masaUri != null ? ", MASA " + masaUri : "")
                + ", profile " + chosen.cliName() + ", " + loaded.pledges().size() + " pledge(s) from " + source);
        out.flush();
        InteropReport result = InteropRunner.of(context).run(Catalogue.all(), source, r -> {
            out.println(ConsoleReport.line(r));
            out.flush();
        });
        if (report != null) {
            try {
                out.println("reports: " + JUnitXmlReport.write(result, report) + ", "
                        + MarkdownReport.write(result, report));
            } catch (ReportException e) {
                err.println("brski interop: " + e.getMessage());
                out.println(result.summaryLine());
                return 2;
            }
        }
        result.stopped().ifPresent(why -> out.println("stopped: " + why));
        out.println(result.summaryLine());
        out.flush();
        return result.successful() ? 0 : 1;
    }

    private boolean explicitForm() {
        return !idevidCerts.isEmpty() || !idevidKeys.isEmpty() || !masaAnchors.isEmpty() || manufacturerCa != null
                || manufacturerKey != null;
    }

    /** The credentials of the explicit-files form, every key checked against its certificate. */
    private Credentials explicitCredentials() throws PkixException {
        if (!explicitForm()) {
            throw new IllegalArgumentException("give either --pki DIR or --idevid-cert PEM --idevid-key PEM (and"
                    + " --masa-anchor PEM)");
        }
        if (idevidCerts.size() != idevidKeys.size()) {
            throw new IllegalArgumentException("--idevid-cert and --idevid-key come in pairs: got "
                    + idevidCerts.size() + " certificate(s) and " + idevidKeys.size() + " key(s)");
        }
        if ((manufacturerCa == null) != (manufacturerKey == null)) {
            throw new IllegalArgumentException("--manufacturer-ca and --manufacturer-key go together");
        }
        List<HeldCertificate> pledges = new ArrayList<>();
        for (int i = 0; i < idevidCerts.size(); i++) {
            pledges.add(held(idevidCerts.get(i), idevidKeys.get(i)));
        }
        List<X509Certificate> anchors = new ArrayList<>();
        for (Path anchor : masaAnchors) {
            anchors.addAll(Pem.readCertificates(anchor));
        }
        HeldCertificate ca = manufacturerCa == null ? null : held(manufacturerCa, manufacturerKey);
        return Credentials.explicit(pledges, anchors, ca);
    }

    /** A certificate (followed by its issuers, if the file has them) with its key. */
    private static HeldCertificate held(Path certFile, Path keyFile) throws PkixException {
        List<X509Certificate> certs = Pem.readCertificates(certFile);
        if (certs.isEmpty()) {
            throw new IllegalArgumentException(certFile + ": no certificate");
        }
        PrivateKey key = Pem.readPrivateKey(keyFile);
        try {
            return HeldCertificate.of(key, certs.get(0), certs.subList(1, certs.size()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(certFile + " / " + keyFile + ": " + e.getMessage(), e);
        }
    }

    private static URI https(String value, String option) {
        try {
            URI uri = new URI(value);
            if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException(option + " must be https://host[:port], not " + value);
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(option + " is not a URI: " + value, e);
        }
    }
}
