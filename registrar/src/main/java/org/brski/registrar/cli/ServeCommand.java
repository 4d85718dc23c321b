package org.brski.registrar.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.brski.pki.TestPki;
import org.brski.pkix.Pem;
import org.brski.pkix.PkixException;
import org.brski.registrar.RegistrarException;
import org.brski.registrar.RegistrarServer;
import org.brski.registrar.config.AdminSettings;
import org.brski.registrar.config.RegistrarConfig;
import org.brski.registrar.config.RegistrarYaml;
import org.brski.server.ConfigException;
import org.brski.server.ServerException;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code brski registrar serve}: starts the registrar and prints {@code listening on https://HOST:PORT} once it accepts
 * connections (then {@code admin listening on https://HOST:PORT} when the admin API is on). Flags override the file.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the registrar over HTTPS.")
final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions options;

    @Option(names = "--host", description = "interface to bind (default 127.0.0.1)")
    String host;

    @Option(names = "--port", description = "port to bind, 0 for any free port (default 8443)")
    Integer port;

    @Option(names = "--tls-cert", paramLabel = "PEM", description = "TLS certificate (then its chain), EKU cmcRA")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "TLS private key")
    Path tlsKey;

    @Option(names = "--admin-port", description = "port of the admin API (needs --admin-ca or admin.clientCa)")
    Integer adminPort;

    @Option(names = "--admin-ca", paramLabel = "PEM", description = "CA of admin client certificates")
    Path adminCa;

    @Option(names = "--compat", paramLabel = "DIALECT", description = "also accept a pledge dialect: none (default) or"
            + " nqminds (base64 bodies, ietf-voucher:voucher request root, empty probe POST); overrides 'compat' in the"
            + " file")
    String compat;

    @Option(names = "--fieldbus-master-key-store", paramLabel = "P12", description = "serve the fieldbus domain key"
            + " service with this master key store ('brski registrar fieldbus init-master'); overrides"
            + " fieldbus.masterKeyStore")
    Path fieldbusMaster;

    @Option(names = "--fieldbus-master-key-store-password-file", paramLabel = "FILE",
            description = "file holding the master key store's password; overrides fieldbus.masterKeyStorePasswordFile")
    Path fieldbusPassword;

    @Override
    public Integer call() {
        RegistrarServer server;
        try {
            server = RegistrarServer.start(config());
        } catch (RegistrarException e) {
            return Failures.report(spec.commandLine().getErr(), e);
        } catch (ServerException e) {
            return Failures.report(spec.commandLine().getErr(), e);
        }
        Thread hook = new Thread(server::close, "registrar-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        spec.commandLine().getOut().println("listening on " + server.uri());
        server.adminUri().ifPresent(u -> spec.commandLine().getOut().println("admin listening on " + u));
        spec.commandLine().getOut().flush();
        try {
            server.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
                server.close();
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting: the hook closes the server
            }
        }
        return 0;
    }

    /** The file (or none) with the flags applied. */
    RegistrarConfig config() throws ServerException {
        RegistrarYaml yaml = options.yaml();
        Optional<TestPki> pki = options.testPki();
        RegistrarYaml.Server s = yaml.server() == null ? new RegistrarYaml.Server(null, null) : yaml.server();
        RegistrarYaml.Files tls = tlsCert != null || tlsKey != null
                ? new RegistrarYaml.Files(abs(tlsCert), abs(tlsKey)) : yaml.tls();
        RegistrarYaml.Database db = options.database != null
                ? new RegistrarYaml.Database(options.database, options.user, options.password, null) : yaml.database();
        RegistrarYaml merged = new RegistrarYaml(new RegistrarYaml.Server(host != null ? host : s.host(),
                port != null ? port : s.port(), s.limits()), tls, yaml.domainCa(), db, yaml.masa(), yaml.voucher(), yaml.audit(),
                yaml.est(), yaml.admin(), yaml.manufacturers(), compat != null ? compat : yaml.compat(),
                fieldbus(yaml.fieldbus()));
        RegistrarConfig config = merged.resolve(options.base(), pki);
        if (adminCa != null || adminPort != null) {
            List<java.security.cert.X509Certificate> anchors;
            if (adminCa != null) {
                try {
                    anchors = Pem.readCertificates(adminCa);
                } catch (PkixException e) {
                    throw new ConfigException("--admin-ca", e.getMessage(), e);
                }
            } else {
                anchors = config.admin().map(AdminSettings::clientAnchors).orElseThrow(() ->
                        new ConfigException("--admin-ca", "the admin API needs an admin client CA"));
            }
            String adminHost = config.admin().map(AdminSettings::host).orElse("127.0.0.1");
            int p = adminPort != null ? adminPort : config.admin().map(AdminSettings::port).orElse(9443);
            return rebuild(config, new AdminSettings(adminHost, p, anchors));
        }
        return config;
    }

    /** The file's fieldbus section with the flags applied (each flag replaces its key). */
    private RegistrarYaml.Fieldbus fieldbus(RegistrarYaml.Fieldbus file) {
        if (fieldbusMaster == null && fieldbusPassword == null) {
            return file;
        }
        RegistrarYaml.Fieldbus f = file == null ? new RegistrarYaml.Fieldbus(null, null) : file;
        return new RegistrarYaml.Fieldbus(fieldbusMaster != null ? abs(fieldbusMaster) : f.masterKeyStore(),
                fieldbusPassword != null ? abs(fieldbusPassword) : f.masterKeyStorePasswordFile());
    }

    private static RegistrarConfig rebuild(RegistrarConfig c, AdminSettings admin) {
        RegistrarConfig.Builder b = RegistrarConfig.builder(c.identity(), c.domainCa()).host(c.host()).port(c.port())
                .database(c.database()).masaTimeouts(c.masaConnectTimeout(), c.masaRequestTimeout(),
                        c.masaRetryAfter())
                .voucher(c.voucher()).est(c.est()).admin(admin).clock(c.clock()).compat(c.compat())
                .fieldbus(c.fieldbus().orElse(null));
        c.manufacturers().forEach(b::manufacturer);
        c.seedManufacturers().forEach(b::seedManufacturer);
        return b.build();
    }

    private static String abs(Path p) {
        return p == null ? null : p.toAbsolutePath().toString();
    }

}
