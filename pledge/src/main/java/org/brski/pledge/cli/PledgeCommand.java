package org.brski.pledge.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.brski.pki.HeldCertificate;
import org.brski.pki.PkiException;
import org.brski.pki.PkiFiles;
import org.brski.pki.TestPki;
import org.brski.pkix.DeviceCertificates;
import org.brski.pkix.Pem;
import org.brski.pkix.PkixException;
import org.brski.pledge.Dialect;
import org.brski.pledge.OnboardingResult;
import org.brski.pledge.Pledge;
import org.brski.pledge.PledgeException;
import org.brski.pledge.PledgeListener;
import org.brski.pledge.PledgeOptions;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code brski pledge}: onboard a device to a domain through a registrar (RFC 8995) and renew its LDevID
 * (RFC 7030 section 4.2.2). Exit codes: 0 full success, 1 the pledge refused or failed (the step and reason are
 * printed), 2 bad command-line input.
 */
@Command(name = "pledge", mixinStandardHelpOptions = true,
        description = "Act as a BRSKI pledge: onboard with an IDevID, or re-enroll an LDevID.",
        subcommands = {PledgeCommand.Onboard.class, PledgeCommand.Reenroll.class})
public final class PledgeCommand {
    /** Instantiated by picocli. */
    public PledgeCommand() {
    }

    /** Prints one line per step outcome. */
    static PledgeListener printer(PrintWriter out) {
        return (step, outcome, message) -> {
            out.printf(Locale.ROOT, "[%-4s] %-22s %s%n", outcome == PledgeListener.Outcome.OK ? "ok"
                    : outcome.name().toLowerCase(Locale.ROOT), step.label(), message);
            out.flush();
        };
    }

    /** The options both subcommands share: how long to wait, and how far to trust this device's clock. */
    static final class ExchangeOptions {
        @Option(names = "--timeout", defaultValue = "30", paramLabel = "SECONDS",
                description = "Bound on each HTTP exchange (default: ${DEFAULT-VALUE}).")
        int timeoutSeconds;

        @Option(names = "--no-clock", description = "The device has no trustworthy real-time clock (RFC 8995 2.6.1): "
                + "omit created-on, do not judge voucher dates or certificate validity against this machine's clock "
                + "(paths must still have been valid at some common time); the voucher nonce provides freshness.")
        boolean noClock;

        @Option(names = "--accept-nonceless", negatable = true, description = "Accept vouchers without a nonce "
                + "(default: only with a trusted clock, which can check their expires-on; RFC 8995 7.2).")
        Boolean acceptNonceless;

        /** What is wrong with these options, or empty. */
        Optional<String> problem() {
            return timeoutSeconds < 1 || timeoutSeconds > 3600
                    ? Optional.of("--timeout must be between 1 and 3600") : Optional.empty();
        }

        PledgeOptions toOptions(PrintWriter out) {
            PledgeOptions.Builder b = PledgeOptions.builder()
                    .exchangeTimeout(Duration.ofSeconds(timeoutSeconds))
                    .trustedClock(!noClock)
                    .listener(printer(out));
            if (acceptNonceless != null) {
                b.acceptNoncelessVouchers(acceptNonceless);
            }
            return b.build();
        }
    }

    static void failed(PrintWriter err, String command, PledgeException e) {
        err.println("brski pledge " + command + ": FAILED at " + e.step().label() + " (" + e.reason().slug() + ")"
                + e.registrar().map(r -> " with " + r).orElse("") + ": " + e.getMessage());
        for (Throwable s : e.getSuppressed()) {
            err.println("  attempt: " + s.getMessage());
        }
    }

    /** {@code brski pledge onboard}. */
    @Command(name = "onboard", mixinStandardHelpOptions = true,
            description = {"Onboard with the IDevID and save the state to --out.",
                "Provisional TLS, voucher-request, voucher verification, registrar authentication, voucher_status,"
                        + " /cacerts, /csrattrs, /simpleenroll, enrollstatus."})
    public static final class Onboard implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        /** Where the IDevID and MASA anchor come from: a test PKI directory, or explicit files. */
        static final class Identity {
            @ArgGroup(exclusive = false)
            FromPki fromPki;

            @ArgGroup(exclusive = false)
            FromFiles fromFiles;
        }

        static final class FromPki {
            @Option(names = "--pki", required = true, paramLabel = "DIR", description = "A `brski pki init` directory.")
            Path pki;

            @Option(names = "--serial", required = true, paramLabel = "SERIAL", description = "The pledge's serial.")
            String serial;
        }

        static final class FromFiles {
            @Option(names = "--idevid-key", required = true, paramLabel = "KEY.pem", description = "IDevID key.")
            Path key;

            @Option(names = "--idevid-cert", required = true, paramLabel = "CERT.pem",
                    description = "IDevID certificate, optionally followed by its issuers.")
            Path cert;

            @Option(names = "--masa-anchor", required = true, paramLabel = "PEM",
                    description = "MASA trust anchor(s) vouchers must chain to (repeatable).")
            List<Path> anchors = new ArrayList<>();
        }

        @ArgGroup(exclusive = true, multiplicity = "1")
        Identity identity;

        @Option(names = "--registrar", required = true, split = ",", paramLabel = "URL",
                description = "Registrar https URL(s); with several, each is tried in turn with back-off.")
        List<URI> registrars = new ArrayList<>();

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to save the state.")
        Path out;

        @Option(names = "--compat", paramLabel = "DIALECT", defaultValue = "none",
                description = {"Registrar dialect: none (RFC 8995, default) or nqminds (an nqminds brski registrar:",
                    "base64 bodies, ietf-voucher:voucher request root, its vouchers, enrollment by a self-signed",
                    "certificate)."})
        String compat;

        @Mixin
        ExchangeOptions exchange;

        @Override
        public Integer call() {
            PrintWriter stdout = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (exchange.problem().isPresent()) {
                err.println("brski pledge onboard: " + exchange.problem().get());
                return 2;
            }
            Dialect dialect;
            try {
                dialect = Dialect.parse(compat);
            } catch (IllegalArgumentException e) {
                err.println("brski pledge onboard: --" + e.getMessage());
                return 2;
            }
            PrivateKey key;
            List<X509Certificate> chain;
            List<X509Certificate> anchors = new ArrayList<>();
            try {
                if (identity.fromPki != null) {
                    TestPki pki = PkiFiles.read(identity.fromPki.pki);
                    HeldCertificate pledge = pki.pledge(identity.fromPki.serial);
                    key = pledge.privateKey();
                    chain = pledge.chainWithSelf();
                    anchors.add(pki.manufacturerCa().certificate());
                } else {
                    key = Pem.readPrivateKey(identity.fromFiles.key);
                    chain = Pem.readCertificates(identity.fromFiles.cert);
                    for (Path p : identity.fromFiles.anchors) {
                        anchors.addAll(Pem.readCertificates(p));
                    }
                }
            } catch (PkiException | PkixException | IllegalArgumentException e) {
                err.println("brski pledge onboard: " + e.getMessage());
                return 2;
            }
            try {
                Pledge pledge = Pledge.builder().idevid(key, chain).masaAnchors(anchors)
                        .options(exchange.toOptions(stdout).toBuilder().dialect(dialect).build()).build();
                stdout.println("pledge " + pledge.serialNumber() + " ("
                        + DeviceCertificates.displayName(pledge.idevid().getSubjectX500Principal()) + ")");
                OnboardingResult result = registrars.size() == 1
                        ? pledge.onboard(registrars.get(0))
                        : pledge.onboard(registrars);
                result.save(out);
                stdout.println("onboarded: LDevID '" + DeviceCertificates.displayName(
                        result.ldevid().getSubjectX500Principal()) + "' valid until "
                        + result.ldevid().getNotAfter().toInstant() + "; state saved to " + out);
                stdout.flush();
                return 0;
            } catch (PledgeException e) {
                failed(err, "onboard", e);
                return 1;
            }
        }
    }

    /** {@code brski pledge reenroll}. */
    @Command(name = "reenroll", mixinStandardHelpOptions = true,
            description = {"Renew the LDevID saved in --state with /simplereenroll and save the new state.",
                "A new key, authenticated with the current LDevID; the registrar must chain to the saved domain"
                        + " trust anchors."})
    public static final class Reenroll implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--state", required = true, paramLabel = "DIR", description = "State saved by onboard.")
        Path state;

        @Option(names = "--registrar", paramLabel = "URL", description = "Registrar URL (default: the saved one).")
        URI registrar;

        @Mixin
        ExchangeOptions exchange;

        @Override
        public Integer call() {
            PrintWriter stdout = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (exchange.problem().isPresent()) {
                err.println("brski pledge reenroll: " + exchange.problem().get());
                return 2;
            }
            try {
                OnboardingResult current = OnboardingResult.load(state);
                OnboardingResult renewed = Pledge.reenroll(current,
                        registrar != null ? registrar : current.registrar(), exchange.toOptions(stdout));
                renewed.save(state);
                stdout.println("re-enrolled: LDevID '" + DeviceCertificates.displayName(
                        renewed.ldevid().getSubjectX500Principal()) + "' valid until "
                        + renewed.ldevid().getNotAfter().toInstant() + "; state saved to " + state);
                stdout.flush();
                return 0;
            } catch (PledgeException e) {
                failed(err, "reenroll", e);
                return 1;
            }
        }
    }
}
