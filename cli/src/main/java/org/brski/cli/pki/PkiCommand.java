package org.brski.cli.pki;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.brski.pki.KeyType;
import org.brski.pki.PkiException;
import org.brski.pki.PkiFiles;
import org.brski.pki.TestPki;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code brski pki}: generates the test PKI a demo, a test or an interop session runs on. */
@Command(name = "pki", description = "Generate a BRSKI test PKI.", mixinStandardHelpOptions = true,
        subcommands = PkiCommand.Init.class)
public final class PkiCommand {

    /** {@code brski pki init}: writes a complete PKI as PEM files plus the {@code pki.json} manifest. */
    @Command(name = "init", mixinStandardHelpOptions = true,
            description = {"Write a test PKI to --out as PEM files.",
                "A manufacturer CA, pledge IDevIDs, MASA signing and TLS certificates, a domain CA and a registrar"
                        + " certificate (keys PKCS#8, mode 0600), with DIR/pki.json mapping roles to files."})
    public static final class Init implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory to write the PKI to.")
        Path out;

        @Option(names = "--pledges", defaultValue = "3", paramLabel = "N",
                description = "Number of pledge IDevIDs (default: ${DEFAULT-VALUE}).")
        int pledges;

        @Option(names = "--masa-url", defaultValue = TestPki.DEFAULT_MASA_URL, paramLabel = "URL",
                description = "Value of the IDevIDs' MASA URI extension, RFC 8995 2.3.2 (default: ${DEFAULT-VALUE}).")
        String masaUrl;

        @Option(names = "--key-type", defaultValue = "ec-p256", paramLabel = "TYPE",
                description = "ec-p256, ec-p384 or rsa2048 (default: ${DEFAULT-VALUE}).")
        String keyType;

        @Option(names = "--force", description = "Overwrite an existing PKI in DIR.")
        boolean force;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            if (pledges < 0 || pledges > 10_000) {
                err.println("brski pki init: --pledges must be between 0 and 10000");
                return 2;
            }
            KeyType type;
            try {
                type = KeyType.parse(keyType);
            } catch (IllegalArgumentException e) {
                err.println("brski pki init: " + e.getMessage());
                return 2;
            }
            try {
                TestPki pki = TestPki.builder().keyType(type).masaUrl(masaUrl).pledges(pledges).build();
                PkiFiles.write(pki, out, force);
                PrintWriter o = spec.commandLine().getOut();
                o.println("wrote a " + type.cliName() + " test PKI with " + pledges + " pledge(s) to " + out);
                o.println("manifest: " + out.resolve(PkiFiles.MANIFEST));
                pki.serials().forEach(s -> o.println("  pledge " + s));
                return 0;
            } catch (PkiException e) {
                err.println("brski pki init: " + e.getMessage());
                return 1;
            }
        }
    }
}
