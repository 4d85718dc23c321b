package org.brski.masa.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.brski.pki.PkiFiles;
import org.brski.pki.TestPki;
import org.brski.server.config.Compat;
import org.brski.server.tls.TlsContexts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MasaCommandTest {
    @TempDir
    static Path dir;
    private static TestPki pki;
    private static Path pkiDir;

    @BeforeAll
    static void writePki() throws Exception {
        pki = TestPki.builder().pledges(3).build();
        pkiDir = dir.resolve("pki");
        PkiFiles.write(pki, pkiDir, false);
    }

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new MasaCommand());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private static String db(String name) {
        return "jdbc:h2:file:" + dir.resolve(name) + ";WRITE_DELAY=0";
    }

    @Test
    void devicesAreImportedListedAddedAndOwned() {
        String db = db("admin");
        Run imported = run("devices", "import", "--pki", pkiDir.toString(), "--database", db);
        assertEquals(0, imported.code(), imported.err());
        assertEquals("imported 3 device(s), 0 already registered", imported.out().trim());
        assertEquals("imported 0 device(s), 3 already registered",
                run("devices", "import", "--pki", pkiDir.toString(), "--database", db).out().trim());

        Run added = run("devices", "add", "EXTRA-1", "--owner-ca", pkiDir.resolve("domain-ca.pem").toString(),
                "--database", db);
        assertEquals(0, added.code(), added.err());
        assertTrue(added.out().contains("bound:"), added.out());
        assertEquals(1, run("devices", "add", "EXTRA-1", "--database", db).code());

        Run owned = run("owners", "set", pki.serials().get(0), "--open", "--database", db);
        assertEquals(0, owned.code(), owned.err());
        assertEquals(1, run("owners", "set", "NOBODY", "--open", "--database", db).code());
        assertEquals(2, run("owners", "set", pki.serials().get(0), "--database", db).code(),
                "one of --domain-ca, --open, --default is required");

        Run list = run("devices", "list", "--database", db);
        assertEquals(0, list.code(), list.err());
        List<String> lines = list.out().lines().toList();
        assertEquals(4, lines.size(), list.out());
        assertTrue(lines.get(0).startsWith(pki.serials().get(0) + "\topen"), lines.get(0));
        assertTrue(lines.get(3).startsWith("EXTRA-1\tbound:"), lines.get(3));
    }

    @Test
    void compatFlagOverridesTheFile() throws Exception {
        Path config = dir.resolve("compat.yaml");
        java.nio.file.Files.writeString(config, "compat: none\n");
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs("--config", config.toString(), "--pki", pkiDir.toString(), "--compat",
                "nqminds");
        assertEquals(Compat.NQMINDS, serve.settings().compat());
        ServeCommand plain = new ServeCommand();
        new CommandLine(plain).parseArgs("--config", config.toString(), "--pki", pkiDir.toString());
        assertEquals(Compat.NONE, plain.settings().compat());
        Run bad = run("serve", "--pki", pkiDir.toString(), "--compat", "nqmind", "--database", db("compat"));
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("compat"), bad.err());
    }

    @Test
    void badConfigurationExitsWithTheKeyNamed() throws Exception {
        Path config = dir.resolve("bad.yaml");
        java.nio.file.Files.writeString(config, "server:\n  prot: 1\n");
        Run run = run("serve", "--config", config.toString());
        assertEquals(2, run.code());
        assertTrue(run.err().contains("server.prot"), run.err());
        Run noTls = run("serve", "--port", "0", "--database", db("none"));
        assertEquals(2, noTls.code());
        assertTrue(noTls.err().contains("server.tlsCert"), noTls.err());
    }

    @Test
    void servePrintsTheListeningLineAndServes() throws Exception {
        CompletableFuture<String> listening = new CompletableFuture<>();
        StringBuilder printed = new StringBuilder();
        Writer watcher = new Writer() {
            @Override
            public void write(char[] buffer, int offset, int length) {
                printed.append(buffer, offset, length);
                int newline = printed.indexOf("\n");
                if (newline >= 0) {
                    listening.complete(printed.substring(0, newline).trim());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        AtomicInteger exit = new AtomicInteger(-1);
        Thread server = new Thread(() -> {
            CommandLine cli = new CommandLine(new MasaCommand());
            cli.setOut(new PrintWriter(watcher, true));
            StringWriter err = new StringWriter();
            cli.setErr(new PrintWriter(err));
            exit.set(cli.execute("serve", "--pki", pkiDir.toString(), "--port", "0", "--database", db("serve")));
            if (exit.get() != 0) {
                listening.complete("failed: " + err);
            }
        }, "masa-serve-test");
        server.start();
        String line = listening.get();
        assertTrue(line.matches("listening on https://127\\.0\\.0\\.1:\\d+"), line);
        URI uri = URI.create(line.substring("listening on ".length()));
        SSLContext context = TlsContexts.client(Optional.empty(), List.of(pki.manufacturerCa().certificate()));
        HttpClient client = HttpClient.newBuilder().sslContext(context)
                .sslParameters(TlsContexts.clientParameters(context)).build();
        HttpResponse<String> health = client.send(HttpRequest.newBuilder(uri.resolve("/healthz")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode());
        server.interrupt();
        server.join();
        assertEquals(0, exit.get());
    }
}
