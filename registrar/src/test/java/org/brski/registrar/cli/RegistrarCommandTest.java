package org.brski.registrar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PipedReader;
import java.io.PipedWriter;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import javax.net.ssl.SSLContext;

import org.brski.pki.HeldCertificate;
import org.brski.pki.PkiFiles;
import org.brski.pki.TestPki;
import org.brski.pkix.Pem;
import org.brski.registrar.config.RegistrarConfig;
import org.brski.registrar.config.RegistrarYaml;
import org.brski.server.ConfigException;
import org.brski.server.config.Compat;
import org.brski.server.tls.TlsContexts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/** {@code brski registrar ...} commands. */
class RegistrarCommandTest {
    @TempDir
    Path dir;

    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new CommandLine(new RegistrarCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void operatorCommandsWorkOnTheDatabase() throws Exception {
        String db = "jdbc:h2:mem:cli-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        HeldCertificate ca = HeldCertificate.builder().commonName("Cli CA").certificateAuthority(0).build();
        Path caFile = dir.resolve("ca.pem");
        Files.writeString(caFile, Pem.encodeCertificate(ca.certificate()));

        Result trusted = run("manufacturers", "trust", "clico", "--ca", caFile.toString(), "--mode", "hold",
                "--masa-url", "https://masa.example:9443/.well-known/brski", "--database", db);
        assertEquals(0, trusted.code(), trusted.err());
        assertTrue(trusted.out().contains("\"mode\" : \"hold\""), trusted.out());
        assertEquals(0, run("manufacturers", "distrust", "clico", "--database", db).code());
        Result list = run("manufacturers", "list", "--database", db);
        assertTrue(list.out().contains("\"trusted\" : false"), list.out());
        assertEquals(0, run("manufacturers", "trust", "clico", "--database", db).code());
        assertTrue(run("manufacturers", "list", "--database", db).out().contains("\"trusted\" : true"));
        Result unknown = run("manufacturers", "distrust", "nobody", "--database", db);
        assertEquals(1, unknown.code());
        assertTrue(unknown.err().startsWith("error: no manufacturer named 'nobody'"), unknown.err());

        assertEquals(0, run("devices", "approve", "CLI-1", "--database", db).code());
        Result shown = run("devices", "show", "CLI-1", "--database", db);
        assertTrue(shown.out().contains("\"approval\" : \"approved\""), shown.out());
        assertEquals(0, run("devices", "deny", "CLI-1", "--database", db).code());
        assertTrue(run("devices", "list", "--database", db).out().contains("\"approval\" : \"denied\""));
        Result missing = run("devices", "show", "CLI-404", "--database", db);
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("no device with serial-number 'CLI-404'"), missing.err());
        Result noVoucher = run("audit", "CLI-1", "--database", db, "--pki", pki().toString());
        assertEquals(1, noVoucher.code());
        assertTrue(noVoucher.err().contains("no voucher"), noVoucher.err());
    }

    private Path pki() throws Exception {
        Path pkiDir = dir.resolve("pki");
        if (!Files.exists(pkiDir.resolve(PkiFiles.MANIFEST))) {
            PkiFiles.write(TestPki.builder().build(), pkiDir, false);
        }
        return pkiDir;
    }

    @Test
    void theYamlDatabasePasswordIsNeverShown() throws Exception {
        Path file = pki().resolve("db.yaml");
        Files.writeString(file, "database: { url: \"jdbc:postgresql://db/brski\", user: brski, password: s3cr3t }\n");
        RegistrarYaml yaml = RegistrarYaml.load(file);
        assertEquals("s3cr3t", yaml.database().password());
        assertTrue(!yaml.toString().contains("s3cr3t") && yaml.toString().contains("password=***"), yaml::toString);
    }

    @Test
    void compatComesFromTheFileOrTheFlag() throws Exception {
        Path file = pki().resolve("compat.yaml");
        Files.writeString(file, "compat: nqminds\n");
        assertEquals(Compat.NQMINDS, RegistrarYaml.load(file).resolve(pki(), Optional.of(PkiFiles.read(pki())))
                .compat());
        assertEquals(Compat.NONE, RegistrarYaml.empty().resolve(pki(), Optional.of(PkiFiles.read(pki()))).compat());
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs("--config", file.toString(), "--compat", "none", "--pki", pki().toString());
        assertEquals(Compat.NONE, serve.config().compat());
        ServeCommand flag = new ServeCommand();
        new CommandLine(flag).parseArgs("--pki", pki().toString(), "--compat", "nqminds", "--admin-ca",
                pki().resolve("domain-ca.pem").toString());
        assertEquals(Compat.NQMINDS, flag.config().compat(), "kept when the admin settings rebuild the config");
        Files.writeString(file, "compat: yes\n");
        ConfigException e = assertThrows(ConfigException.class,
                () -> RegistrarYaml.load(file).resolve(pki(), Optional.of(PkiFiles.read(pki()))));
        assertEquals("compat", e.key().orElseThrow());
    }

    @Test
    void masaDialectComesFromTheYamlAndTheTrustCommand() throws Exception {
        Path file = pki().resolve("dialect.yaml");
        Files.writeString(file, String.join("\n",
                "manufacturers:",
                "  - { name: nq, ca: manufacturer-ca.pem, masaDialect: nqminds }",
                "  - { name: rfc, ca: domain-ca.pem, masaDialect: rfc8995 }",
                ""));
        RegistrarConfig config = RegistrarYaml.load(file).resolve(pki(), Optional.of(PkiFiles.read(pki())));
        assertEquals(Compat.NQMINDS, config.manufacturers().get(0).masaDialect());
        assertEquals(Compat.NONE, config.manufacturers().get(1).masaDialect());
        Files.writeString(file, "manufacturers:\n  - { name: nq, ca: manufacturer-ca.pem, masaDialect: der }\n");
        ConfigException e = assertThrows(ConfigException.class,
                () -> RegistrarYaml.load(file).resolve(pki(), Optional.of(PkiFiles.read(pki()))));
        assertEquals("manufacturers[0].masaDialect", e.key().orElseThrow());

        String db = "jdbc:h2:mem:cli-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        Path caFile = pki().resolve("manufacturer-ca.pem");
        Result trusted = run("manufacturers", "trust", "nq", "--ca", caFile.toString(), "--masa-dialect", "nqminds",
                "--database", db);
        assertEquals(0, trusted.code(), trusted.err());
        assertTrue(trusted.out().contains("\"masaDialect\" : \"nqminds\""), trusted.out());
        Result changed = run("manufacturers", "trust", "nq", "--masa-dialect", "rfc8995", "--database", db);
        assertEquals(0, changed.code(), changed.err());
        assertTrue(run("manufacturers", "list", "--database", db).out().contains("\"masaDialect\" : \"rfc8995\""));
        Result bad = run("manufacturers", "trust", "nq", "--masa-dialect", "der", "--database", db);
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("rfc8995 or nqminds"), bad.err());
    }

    @Test
    void yamlIsStrictAndResolvesRelativeFiles() throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "server:\n  hots: 0.0.0.0\n");
        ConfigException e = assertThrows(ConfigException.class, () -> RegistrarYaml.load(bad));
        assertEquals("server.hots", e.key().orElseThrow());

        TestPki pki = PkiFiles.read(pki());
        Path good = pki().resolve("registrar.yaml");
        Files.writeString(good, String.join("\n",
                "server: { host: 127.0.0.1, port: 0 }",
                "tls: { cert: registrar-chain.pem, key: registrar.key }",
                "domainCa: { cert: domain-ca.pem, key: domain-ca.key }",
                "audit: { mode: record, allowNonceless: true }",
                "est: { ldevidValidityDays: 30, maxLdevidsPerDevice: 5 }",
                "manufacturers:",
                "  - { name: maker, ca: manufacturer-ca.pem, mode: hold }",
                ""));
        RegistrarConfig config = RegistrarYaml.load(good).resolve(pki(), Optional.empty());
        assertEquals(pki.registrar().certificate(), config.identity().certificate());
        assertEquals(pki.domainCa().certificate(), config.domainCa().certificate());
        assertEquals(30, config.est().ldevidValidity().toDays());
        assertEquals(5, config.est().maxLdevidsPerDevice());
        assertEquals("maker", config.manufacturers().get(0).name());
        assertEquals(0, config.port());
        assertTrue(config.voucher().audit().allowNonceless());
    }

    @Test
    void serveWithPkiPrintsTheListeningLineAndAnswersHealth() throws Exception {
        Path pkiDir = pki();
        TestPki pki = PkiFiles.read(pkiDir);
        PipedWriter pipe = new PipedWriter();
        BufferedReader lines = new BufferedReader(new PipedReader(pipe, 4096));
        StringWriter err = new StringWriter();
        Thread server = new Thread(() -> new CommandLine(new RegistrarCommand()).setOut(new PrintWriter(pipe, true))
                .setErr(new PrintWriter(err)).execute("serve", "--pki", pkiDir.toString(), "--port", "0",
                        "--database", "jdbc:h2:mem:serve-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1"));
        server.start();
        try {
            String line = lines.readLine();
            assertTrue(line != null && line.matches("listening on https://127\\.0\\.0\\.1:\\d+"), line + err);
            SSLContext tls = TlsContexts.client(Optional.empty(), List.of(pki.domainCa().certificate()));
            HttpClient client = HttpClient.newBuilder().sslContext(tls).sslParameters(TlsContexts.clientParameters(tls))
                    .build();
            HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create(line.substring(13) + "/healthz"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode());
            assertEquals("{\"status\":\"up\"}", health.body());
        } finally {
            server.interrupt();
            server.join();
        }
    }
}
