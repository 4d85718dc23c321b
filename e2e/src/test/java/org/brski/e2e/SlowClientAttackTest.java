package org.brski.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import org.brski.cli.demo.DemoServices;
import org.brski.pki.HeldCertificate;
import org.brski.pki.TestPki;
import org.brski.pledge.Pledge;
import org.brski.pledge.PledgeOptions;
import org.brski.server.ConnectionLimits;
import org.brski.server.tls.TlsContexts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, item 1: anonymous slow clients must not take a service down. While 250 slow-body, 300 slowloris and 500
 * half-ClientHello connections (from 49 source addresses, so that the per-source limit does not stop them) attack the
 * registrar, and then the MASA, a pledge onboards through the registrar within twice its unloaded time (measured here,
 * on the same services), {@code /healthz} of the attacked service answers within 100 ms, and every attack connection
 * is closed within the default {@link ConnectionLimits} deadline of its kind (plus the attacker's detection delay).
 * With the MASA attacked, the registrar must not answer 503 masa-unavailable. Before the fix the slow bodies held every
 * request thread: healthz timed out, the pledge failed, and no attack connection was ever closed.
 */
class SlowClientAttackTest {
    private static final Duration PAUSE = Duration.ofSeconds(2);
    private static final ConnectionLimits LIMITS = ConnectionLimits.defaults();

    @TempDir
    static Path dir;
    private static TestPki pki;
    private static DemoServices domain;
    private static int nextPledge;
    private static Duration unloaded;

    @BeforeAll
    static void start() throws Exception {
        pki = TestPki.builder().pledges(8).build();
        domain = DemoServices.start(pki, dir, DemoServices.Databases.h2Memory(), 0, 0);
        domain.register(pki, pki.serials());
        onboard(); // warm-up: class loading, JIT, first connections
        onboard();
        unloaded = onboard().plus(onboard()).dividedBy(2);
    }

    @AfterAll
    static void stop() {
        if (domain != null) {
            domain.close();
        }
    }

    /** Onboards the next pledge through the registrar; the time it took. */
    private static Duration onboard() throws Exception {
        HeldCertificate idevid = pki.pledge(pki.serials().get(nextPledge++));
        Pledge pledge = Pledge.builder().idevid(idevid.privateKey(), idevid.chainWithSelf())
                .masaAnchors(List.of(pki.manufacturerCa().certificate()))
                .options(PledgeOptions.builder().exchangeTimeout(Duration.ofSeconds(10)).build()).build();
        long start = System.nanoTime();
        pledge.onboard(domain.registrarUri());
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /**
     * The median of five {@code GET /healthz}, each on a new connection (after the exchange that pays for its TLS
     * handshake): the median, because single outliers on this shared 2-core machine come from the scheduler, not from
     * the service.
     */
    private static Duration health(URI service) throws Exception {
        SSLContext context = TlsContexts.client(Optional.empty(), List.of(pki.domainCa().certificate(),
                pki.manufacturerCa().certificate()));
        List<Duration> times = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(context)
                    .sslParameters(TlsContexts.clientParameters(context)).connectTimeout(Duration.ofSeconds(2)).build();
            // the first exchange pays for the TLS handshake; the second is the one that must be fast
            HttpRequest get = HttpRequest.newBuilder(service.resolve("/healthz")).timeout(Duration.ofSeconds(2))
                    .build();
            assertEquals(200, client.send(get, HttpResponse.BodyHandlers.ofString()).statusCode());
            long start = System.nanoTime();
            assertEquals(200, client.send(get, HttpResponse.BodyHandlers.ofString()).statusCode());
            times.add(Duration.ofNanos(System.nanoTime() - start));
        }
        times.sort(null);
        System.out.printf("healthz of %s under attack: %s ms%n", service,
                times.stream().map(d -> Long.toString(d.toMillis())).collect(Collectors.joining(", ")));
        return times.get(times.size() / 2);
    }

    private static void attackAndCheck(URI target, String path) throws Exception {
        try (SlowClientAttack attack = new SlowClientAttack(target, path, PAUSE, List.of(pki.domainCa().certificate(),
                pki.manufacturerCa().certificate()))) {
            long launch = System.nanoTime();
            attack.start(250, 300, 500);
            boolean full = attack.awaitOpen(1000, Duration.ofSeconds(40));
            Duration setup = Duration.ofNanos(System.nanoTime() - launch);

            // measure with the connections held but the attacker idle: its own handshakes (in this JVM, on these
            // 2 cores) would otherwise be measured as the service's slowness
            attack.stopReplacing();
            long heldBefore = attack.open();
            Duration health = health(target);
            Duration loaded = onboard(); // through the registrar (and from it to the MASA): must not fail
            long heldAfter = attack.open();
            System.out.printf("attack on %s: %d of 1050 connections open after %d ms; %d..%d held while a pledge"
                    + " onboarded in %d ms (unloaded %d ms) and healthz answered in %d ms%n", target, heldBefore,
                    setup.toMillis(), heldBefore, heldAfter, loaded.toMillis(), unloaded.toMillis(), health.toMillis());
            assertTrue(full, "the attacker could not hold 1000 connections");
            assertTrue(Math.min(heldBefore, heldAfter) >= 800, "the attack was held while measuring"); // some expire
            assertTrue(health.compareTo(Duration.ofMillis(100)) <= 0, "healthz took " + health);
            assertTrue(loaded.compareTo(unloaded.multipliedBy(2)) <= 0,
                    "onboarding took " + loaded + " under attack, " + unloaded + " without");

            attack.awaitClosed(LIMITS.bodyGrace().plus(PAUSE.multipliedBy(3)).plusSeconds(3));
            Map<String, Duration> longest = new TreeMap<>();
            List<String> late = new ArrayList<>();
            for (SlowClientAttack.Held h : attack.connections()) {
                Duration held = h.held();
                // the deadline, plus the guard's sweep (1 s) and the attacker's detection delay: a write after the
                // close succeeds, the next one fails, so up to two dribble rounds (more on a loaded machine)
                Duration detection = PAUSE.multipliedBy(3).plusSeconds(2);
                Duration allowed = switch (h.kind) {
                    case "half-hello" -> LIMITS.handshakeTimeout().plusSeconds(3); // sweep + a loaded machine
                    case "slowloris" -> LIMITS.headerTimeout().plus(detection);
                    default -> LIMITS.bodyGrace().plus(detection);
                };
                if (held == null || held.compareTo(allowed) > 0) {
                    late.add(h.kind + " held " + (held == null ? "open" : held.toMillis() + " ms"));
                } else {
                    longest.merge(h.kind, held, (a, b) -> a.compareTo(b) > 0 ? a : b);
                }
            }
            System.out.printf("attack on %s: longest held by kind %s%n", target, longest.entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue().toMillis() + "ms").collect(Collectors.joining(", ")));
            assertTrue(late.isEmpty(), late.size() + " attack connections held too long, e.g. "
                    + late.subList(0, Math.min(5, late.size())));
        }
    }

    @Test
    void theRegistrarServesPledgesAndHealthWhileSlowClientsAttackIt() throws Exception {
        attackAndCheck(domain.registrarUri(), "/.well-known/brski/requestvoucher");
    }

    @Test
    void theMasaServesTheRegistrarWhileSlowClientsAttackIt() throws Exception {
        attackAndCheck(domain.masa().uri(), "/.well-known/brski/requestvoucher");
    }
}
