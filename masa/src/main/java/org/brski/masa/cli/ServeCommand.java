package org.brski.masa.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.brski.masa.config.MasaConfig;
import org.brski.masa.config.MasaSettings;
import org.brski.masa.http.MasaServer;
import org.brski.pki.PkiException;
import org.brski.pki.PkiFiles;
import org.brski.pki.TestPki;
import org.brski.server.ConfigException;
import org.brski.server.ServerException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code brski masa serve}: starts the MASA and prints {@code listening on https://HOST:PORT} once it accepts
 * connections. Flags override the configuration file; {@code --pki DIR} supplies the TLS identity, signing key and
 * manufacturer CA of a {@code brski pki init} directory where neither file nor flags name them.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the MASA over HTTPS.")
final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "MASA configuration (YAML)")
    Path config;

    @Option(names = "--host", description = "interface to bind (default 127.0.0.1)")
    String host;

    @Option(names = "--port", description = "port to bind, 0 for any free port (default 8443)")
    Integer port;

    @Option(names = "--database", paramLabel = "JDBC_URL", description = "jdbc:h2:... or jdbc:postgresql://...")
    String database;

    @Option(names = "--tls-cert", paramLabel = "PEM", description = "TLS certificate (then its chain)")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "TLS private key")
    Path tlsKey;

    @Option(names = "--signer-cert", paramLabel = "PEM", description = "voucher-signing certificate (then its chain)")
    Path signerCert;

    @Option(names = "--signer-key", paramLabel = "PEM", description = "voucher-signing private key")
    Path signerKey;

    @Option(names = "--manufacturer-ca", paramLabel = "PEM", description = "CA issuing the IDevIDs (repeatable)")
    List<Path> manufacturerCa;

    @Option(names = "--pki", paramLabel = "DIR", description = "take TLS, signer and manufacturer CA from a test PKI")
    Path pki;

    @Option(names = "--compat", paramLabel = "DIALECT", description = "also accept a peer dialect: none (default) or"
            + " nqminds (base64 bodies, ietf-voucher:voucher request root); overrides 'compat' in the file")
    String compat;

    @Override
    public Integer call() {
        MasaServer masa;
        try {
            masa = MasaServer.start(settings(), Clock.systemUTC());
        } catch (ServerException e) {
            return Failures.report(spec.commandLine().getErr(), e);
        }
        Thread hook = new Thread(masa::close, "masa-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        spec.commandLine().getOut().println("listening on " + masa.uri());
        spec.commandLine().getOut().flush();
        try {
            masa.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
                masa.close();
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting: the hook closes the server
            }
        }
        return 0;
    }

    /** The configuration file (or none) with the flags applied, resolved. */
    MasaSettings settings() throws ServerException {
        MasaConfig file = config != null ? MasaConfig.load(config) : MasaConfig.empty();
        Path base = config != null && config.toAbsolutePath().getParent() != null
                ? config.toAbsolutePath().getParent() : Path.of(".");
        MasaConfig.Server s = file.serverOrEmpty();
        MasaConfig.Database d = file.databaseOrEmpty();
        MasaConfig.Signer sg = file.signerOrEmpty();
        MasaConfig merged = new MasaConfig(
                new MasaConfig.Server(host != null ? host : s.host(), port != null ? port : s.port(),
                        tlsCert != null ? abs(tlsCert) : s.tlsCert(), tlsKey != null ? abs(tlsKey) : s.tlsKey(),
                        s.clientAuth(), s.clientCaCerts(), s.maxThreads(), s.limits(), s.metricsClientCaCerts()),
                new MasaConfig.Database(database != null ? database : d.url(), d.user(), d.password(),
                        d.maxPoolSize()),
                signerCert != null || signerKey != null
                        ? new MasaConfig.Signer(signerCert != null ? abs(signerCert) : sg.cert(),
                                signerKey != null ? abs(signerKey) : sg.key(), null, null)
                        : sg,
                manufacturerCa != null ? manufacturerCa.stream().map(ServeCommand::abs).toList()
                        : file.manufacturerCaCerts(),
                file.registrarCaCerts(), file.policy(), compat != null ? compat : file.compat());
        Optional<TestPki> testPki = Optional.empty();
        if (pki != null) {
            try {
                testPki = Optional.of(PkiFiles.read(pki));
            } catch (PkiException e) {
                throw new ConfigException("--pki", e.getMessage(), e);
            }
        }
        return merged.resolve(base, testPki);
    }

    private static String abs(Path p) {
        return p.toAbsolutePath().toString();
    }
}
