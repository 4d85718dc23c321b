package org.brski.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;
import org.brski.pkix.TlsProvider;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code brski} command: one entry point whose subcommands come from the modules that own them.
 * Each module keeps its commands next to its code; this class only lists them.
 */
@Command(name = "brski",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Bootstrapping Remote Secure Key Infrastructure (RFC 8995): vouchers, test PKI, MASA, registrar, pledge.",
        subcommands = {
            CommandLine.HelpCommand.class,
            org.brski.cli.pki.PkiCommand.class,
            org.brski.cli.voucher.VoucherCommand.class,
            org.brski.masa.cli.MasaCommand.class,
            org.brski.registrar.cli.RegistrarCommand.class,
            org.brski.pledge.cli.PledgeCommand.class,
            org.brski.interop.cli.InteropCommand.class,
            org.brski.cli.demo.DemoCommand.class,
            org.brski.cli.fieldbus.FieldbusCommand.class,
            org.brski.cli.bench.BenchCommand.class,
        })
public final class Main {

    /** Runs the command line and returns the process exit code. */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** Runs the command line with the given output streams (for embedding and tests). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        int code = commandLine().setOut(out).setErr(err).execute(args);
        out.flush();
        err.flush();
        return code;
    }

    private static CommandLine commandLine() {
        // The one explicit place where a global provider change may happen: only with -Dbrski.tls.provider=bc
        // (brski bench --tls-provider bc selects it itself); the default, BCJSSE, changes nothing global.
        TlsProvider.configured().install();
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Reads the version Maven wrote into {@code version.properties}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {"brski " + p.getProperty("version", "unknown") + " (Java " + Runtime.version() + ")"};
        }
    }
}
