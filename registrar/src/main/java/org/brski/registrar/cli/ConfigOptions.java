package org.brski.registrar.cli;

import java.nio.file.Path;
import java.util.Optional;

import org.brski.pki.PkiException;
import org.brski.pki.PkiFiles;
import org.brski.pki.TestPki;
import org.brski.registrar.config.RegistrarYaml;
import org.brski.server.ConfigException;
import org.brski.server.db.DatabaseConfig;

import picocli.CommandLine.Option;

/** Where the registrar's configuration comes from: {@code --config}, {@code --database}, {@code --pki}. */
final class ConfigOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "registrar configuration (YAML)")
    Path config;

    @Option(names = "--database", paramLabel = "JDBC_URL",
            description = "jdbc:h2:... or jdbc:postgresql://... (overrides the file; default an H2 file next to it)")
    String database;

    @Option(names = "--db-user", description = "database user (with --database)")
    String user;

    @Option(names = "--db-password", description = "database password (with --database)", interactive = false)
    String password;

    @Option(names = "--pki", paramLabel = "DIR",
            description = "take the TLS identity, domain CA and a trusted manufacturer from a 'brski pki init' directory")
    Path pki;

    RegistrarYaml yaml() throws ConfigException {
        return config != null ? RegistrarYaml.load(config) : RegistrarYaml.empty();
    }

    /** The directory relative names resolve against: the config file's, else the PKI's, else the current one. */
    Path base() {
        if (config != null && config.toAbsolutePath().getParent() != null) {
            return config.toAbsolutePath().getParent();
        }
        return pki != null ? pki.toAbsolutePath() : Path.of(".").toAbsolutePath();
    }

    DatabaseConfig databaseConfig(RegistrarYaml yaml) {
        if (database != null) {
            return RegistrarYaml.shared(new DatabaseConfig(database, user, password, 10));
        }
        return yaml.databaseConfig(base());
    }

    Optional<TestPki> testPki() throws ConfigException {
        if (pki == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(PkiFiles.read(pki));
        } catch (PkiException e) {
            throw new ConfigException("--pki", e.getMessage(), e);
        }
    }
}
