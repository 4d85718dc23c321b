package org.brski.registrar.voucher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.brski.pki.HeldCertificate;
import org.brski.pkix.Pem;
import org.brski.registrar.RegistrarException;
import org.brski.registrar.masa.AuditPolicy;
import org.brski.registrar.masa.MasaClient;
import org.brski.registrar.masa.MasaEndpoint;
import org.brski.registrar.masa.MasaResponse;
import org.brski.registrar.policy.Manufacturer;
import org.brski.registrar.policy.StoreAdmissionPolicy;
import org.brski.registrar.store.JdbcRegistrarStore;
import org.brski.registrar.store.RegistrarStore;
import org.brski.server.config.Compat;
import org.brski.server.db.Database;
import org.brski.server.db.DatabaseConfig;
import org.brski.server.db.Databases;
import org.brski.server.tls.TlsIdentity;
import org.brski.voucher.Assertion;
import org.brski.voucher.VoucherCms;
import org.brski.voucher.VoucherRequest;
import org.brski.voucher.cms.CmsSigner;
import org.brski.voucher.cms.CmsVerifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The registrar on bytes a real nqminds brski 0.2.6 pledge and MASA produced (captured on the wire,
 * src/test/resources/nqminds).
 *
 * <p>Pledge side ({@link PledgeRequests}, against the registrar TLS certificate those pledges saw): the request signed
 * by {@code pledge-cms} instead of the IDevID is refused in every mode (RFC 8995 5.2); the one signed by the IDevID is
 * accepted with {@code compat nqminds} and refused without it for its root.
 *
 * <p>MASA side ({@link VoucherService}, its registrar certificate re-issued with id-kp-cmcRA for the captured registrar
 * TLS key by the captured registrar CA, so that the captured voucher's pin is this domain): under
 * {@code masaDialect nqminds} the registrar voucher-request has the captured request's root, leaf set and encodings,
 * and the captured MASA answer (text/plain, base64, id-data, no created-on, nonce with expires-on) is accepted; a
 * manufacturer in the RFC 8995 dialect refuses it.
 *
 * <p>Trust: the nqminds CMS chain {@code masa-cms <- int1-cms <- int2-cms <- cms-ca} does not validate (the
 * intermediates are CA:FALSE and are not sent), so the manufacturer's MASA anchor is the MASA signing certificate
 * {@code masa-cms} itself: it trusts exactly that key. Trusting {@code int1-cms} as an anchor would also trust
 * {@code pledge-cms} and {@code registrar-cms} to sign vouchers.
 */
class NqmindsVectorsTest {
    private static final Path DIR = Path.of("src", "test", "resources", "nqminds");
    private static final String SERIAL = "idev-serial12345";
    private static final String NONCE = "gSeIuwevGlXkRGSNojhy4g==";
    /** Nine seconds after the captured created-on (21:49:51Z); the certificates start at 21:32:43Z. */
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T21:50:00.250Z"), ZoneOffset.UTC);
    private static final VoucherSettings SETTINGS = new VoucherSettings(65536, 65536, Duration.ofMinutes(10),
            Duration.ofMinutes(2), false, false, Duration.ofSeconds(30), new AuditPolicy(AuditPolicy.Mode.OFF, false, false));
    private static final ObjectMapper JSON = new ObjectMapper();

    private static X509Certificate idevid;
    private static X509Certificate idevidCa;
    private static HeldCertificate pledge;
    private static X509Certificate registrarTls;
    private static X509Certificate registrarTlsCa;
    private static HeldCertificate cmcRaRegistrar;
    private static X509Certificate masaCms;

    private Database database;
    private RegistrarStore store;

    @BeforeAll
    static void load() throws Exception {
        idevid = Pem.readCertificate(DIR.resolve("certs/idevid.crt"));
        idevidCa = Pem.readCertificate(DIR.resolve("certs/idevid-ca.crt"));
        pledge = HeldCertificate.of(Pem.readPrivateKey(DIR.resolve("certs/idevid.key")), idevid, List.of(idevidCa));
        registrarTls = Pem.readCertificate(DIR.resolve("certs/registrar-tls.crt"));
        registrarTlsCa = Pem.readCertificate(DIR.resolve("certs/registrar-tls-ca.crt"));
        masaCms = Pem.readCertificate(DIR.resolve("certs/masa-cms.crt"));
        HeldCertificate tlsCa = HeldCertificate.of(Pem.readPrivateKey(DIR.resolve("certs/registrar-tls-ca.key")),
                registrarTlsCa, List.of());
        KeyPair tlsKey = new KeyPair(registrarTls.getPublicKey(),
                Pem.readPrivateKey(DIR.resolve("certs/registrar-tls.key")));
        cmcRaRegistrar = HeldCertificate.builder().subject("CN=registrar-tls-meta,C=IE").keyPair(tlsKey)
                .extendedKeyUsage(HeldCertificate.ID_KP_CMC_RA, HeldCertificate.ID_KP_SERVER_AUTH)
                .validity(Instant.parse("2026-12-07T21:32:43Z"), Instant.parse("2036-12-07T21:32:43Z"))
                .signedBy(tlsCa).build();
    }

    @BeforeEach
    void open() throws Exception {
        database = Databases.open(DatabaseConfig.h2Memory("nqminds-" + UUID.randomUUID()),
                JdbcRegistrarStore.MIGRATIONS, JdbcRegistrarStore.HISTORY_TABLE);
        store = JdbcRegistrarStore.of(database.dataSource(), CLOCK);
    }

    @AfterEach
    void close() {
        database.close();
    }

    private static byte[] read(String file) throws Exception {
        return Files.readAllBytes(DIR.resolve(file));
    }

    private PledgeRequests pledgeRequests(Compat compat) throws Exception {
        return new PledgeRequests(SETTINGS, compat, registrarTls.getEncoded(), CLOCK, store);
    }

    private static RegistrarException refused(PledgeRequests requests, byte[] body) {
        return assertThrows(RegistrarException.class, () -> requests.validate(body, List.of(idevid, idevidCa)));
    }

    // ------------------------------------------------------------------ pledge voucher-requests

    @Test
    void aPledgeRequestSignedByPledgeCmsIsRefusedInEveryMode() throws Exception {
        for (Compat compat : Compat.values()) {
            for (String body : List.of("01-preq-pledgecms/1-pvr.der", "01-preq-pledgecms/1-pvr.b64")) {
                if (compat == Compat.NONE && body.endsWith(".b64")) {
                    continue; // refused for its form before its signer is looked at
                }
                RegistrarException e = refused(pledgeRequests(compat), read(body));
                assertEquals(403, e.problem().status(), compat + " " + body + ": " + e.problem().detail());
                assertEquals("urn:brski:problem:signer-mismatch", e.problem().type(), compat + " " + body);
            }
        }
    }

    @Test
    void thePledgeRequestSignedByTheIdevidIsAcceptedUnderCompatNqminds() throws Exception {
        PledgeRequests.PledgeRequest accepted = pledgeRequests(Compat.NQMINDS).validate(
                read("02-preq-idevid/1-pvr.b64"), List.of(idevid, idevidCa));
        assertEquals(SERIAL, accepted.serial());
        assertEquals(NONCE, accepted.nonce());
        assertTrue(accepted.body().text(), "it came as base64");
        assertArrayEquals(read("02-preq-idevid/1-pvr.der"), accepted.der());
    }

    @Test
    void withoutCompatTheSameRequestIsRefusedForItsFormAndRoot() throws Exception {
        RegistrarException base64 = refused(pledgeRequests(Compat.NONE), read("02-preq-idevid/1-pvr.b64"));
        assertEquals("urn:brski:problem:base64-body", base64.problem().type(), base64.problem().detail());
        RegistrarException root = refused(pledgeRequests(Compat.NONE), read("02-preq-idevid/1-pvr.der"));
        assertEquals("urn:brski:problem:request-root", root.problem().type(), root.problem().detail());
    }

    // ------------------------------------------------------------------ towards the MASA

    /** The nqminds MASA's answer as captured: status, Content-Type and body of 3-voucher.masa-response.http. */
    private static MasaResponse capturedMasaAnswer() throws Exception {
        byte[] http = read("02-preq-idevid/3-voucher.masa-response.http");
        String text = new String(http, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        String[] head = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(head[0].split(" ")[1]);
        String type = null;
        for (String header : head) {
            if (header.regionMatches(true, 0, "Content-Type:", 0, 13)) {
                type = header.substring(13).trim();
            }
        }
        byte[] body = java.util.Arrays.copyOfRange(http, end + 4, http.length);
        return new MasaResponse(status, Optional.ofNullable(type), body);
    }

    /** A MASA client that answers {@code answer} and keeps the registrar voucher-request it was given. */
    private static MasaClient replaying(MasaResponse answer, AtomicReference<byte[]> sent) {
        return new MasaClient() {
            @Override
            public MasaResponse requestVoucher(MasaEndpoint endpoint, byte[] rvr) {
                sent.set(endpoint.requestBody(rvr));
                return answer;
            }

            @Override
            public MasaResponse requestAuditLog(MasaEndpoint endpoint, byte[] rvr) {
                return new MasaResponse(404, Optional.empty(), new byte[0]);
            }

            @Override
            public void close() {
            }
        };
    }

    private VoucherService service(Compat masaDialect, MasaClient masa) throws Exception {
        store.putManufacturer(Manufacturer.trusted("nqmco", idevidCa).withMasaAnchors(List.of(masaCms))
                .withMasaUrl(Optional.of(URI.create("https://masa.nqm.example/.well-known/brski")))
                .withMasaDialect(masaDialect));
        TlsIdentity identity = TlsIdentity.of(cmcRaRegistrar.privateKey(), cmcRaRegistrar.certificate(),
                List.of(registrarTlsCa));
        return VoucherService.create(store, new StoreAdmissionPolicy(store, CLOCK), masa, identity, registrarTlsCa,
                SETTINGS, CLOCK);
    }

    /** A pledge voucher-request from the captured IDevID with the captured nonce, to this registrar. */
    private static byte[] ourPledgeRequest() throws Exception {
        VoucherRequest pvr = VoucherRequest.builder().createdOn(CLOCK.instant().atOffset(ZoneOffset.UTC))
                .assertion(Assertion.PROXIMITY).serialNumber(SERIAL).nonce(NONCE)
                .proximityRegistrarCert(cmcRaRegistrar.certificate().getEncoded()).build();
        return VoucherCms.sign(CmsSigner.of(pledge.privateKey(), idevid, List.of()), pvr);
    }

    @Test
    void underMasaDialectNqmindsTheCapturedVoucherIsAcceptedAndTheRequestLooksLikeTheirs() throws Exception {
        MasaResponse answer = capturedMasaAnswer();
        assertEquals(Optional.of("text/plain"), answer.contentType());
        AtomicReference<byte[]> sent = new AtomicReference<>();
        VoucherService service = service(Compat.NQMINDS, replaying(answer, sent));

        byte[] pvr = ourPledgeRequest();
        VoucherOutcome outcome = service.requestVoucher(pvr, List.of(idevid, idevidCa));
        byte[] relayed = assertInstanceOf(VoucherOutcome.Issued.class, outcome).voucher();
        assertArrayEquals(read("02-preq-idevid/3-voucher.der"), relayed, "a binary pledge gets the voucher in DER");

        // The registrar voucher-request, compared with the one the nqminds registrar sent.
        byte[] body = sent.get();
        assertTrue(Pattern.matches("[A-Za-z0-9+/]+={0,2}", new String(body, StandardCharsets.US_ASCII)),
                "one line of padded base64, as nqminds sends it");
        byte[] ourJson = CmsVerifier.trusting(List.of(registrarTlsCa)).at(CLOCK.instant())
                .verify(Base64.getDecoder().decode(body)).content();
        JsonNode ours = JSON.readTree(ourJson);
        JsonNode theirs = JSON.readTree(read("02-preq-idevid/2-rvr.json"));
        assertEquals(names(theirs), names(ours), "the root");
        JsonNode ourLeaves = ours.get("ietf-voucher:voucher");
        JsonNode theirLeaves = theirs.get("ietf-voucher:voucher");
        assertEquals(names(theirLeaves), names(ourLeaves), "the leaves, in their order");
        assertEquals(theirLeaves.get("idevid-issuer"), ourLeaves.get("idevid-issuer"), "'C = IE, CN = idevca'");
        assertEquals(theirLeaves.get("nonce"), ourLeaves.get("nonce"));
        assertEquals(theirLeaves.get("domain-cert-revocation-checks"), ourLeaves.get("domain-cert-revocation-checks"));
        assertEquals("2026-12-07T21:50:00Z", ourLeaves.get("created-on").asText(), "whole seconds, literal Z");
        assertTrue(theirLeaves.get("created-on").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"));
        assertArrayEquals(pvr, Base64.getDecoder().decode(ourLeaves.get("prior-signed-voucher-request").asText()),
                "the pledge's CMS byte for byte");
    }

    @Test
    void aManufacturerInTheRfc8995DialectRefusesTheCapturedVoucher() throws Exception {
        VoucherService strict = service(Compat.NONE, replaying(capturedMasaAnswer(), new AtomicReference<>()));
        RegistrarException e = assertThrows(RegistrarException.class,
                () -> strict.requestVoucher(ourPledgeRequest(), List.of(idevid, idevidCa)));
        assertEquals(502, e.problem().status());
        assertTrue(e.problem().detail().contains("text/plain") && e.problem().detail().contains("masaDialect nqminds"),
                e.problem().detail());
        assertTrue(store.latestVoucher(SERIAL).isEmpty(), "nothing stored");
    }

    @Test
    void aManufacturerInTheRfc8995DialectRefusesItsLeavesAlsoInDer() throws Exception {
        MasaResponse der = new MasaResponse(200, Optional.of(VoucherCms.MEDIA_TYPE),
                read("02-preq-idevid/3-voucher.der"));
        VoucherService strict = service(Compat.NONE, replaying(der, new AtomicReference<>()));
        RegistrarException e = assertThrows(RegistrarException.class,
                () -> strict.requestVoucher(ourPledgeRequest(), List.of(idevid, idevidCa)));
        assertTrue(e.problem().detail().contains("created-on"), e.problem().detail());
    }

    @Test
    void theListenerWideSwitchDoesNotRelaxAnRfc8995ManufacturersMasa() throws Exception {
        MasaResponse der = new MasaResponse(200, Optional.of(VoucherCms.MEDIA_TYPE),
                read("02-preq-idevid/3-voucher.der"));
        VoucherService listenerCompat = service(Compat.NONE, replaying(der, new AtomicReference<>()))
                .withCompat(Compat.NQMINDS);
        RegistrarException e = assertThrows(RegistrarException.class,
                () -> listenerCompat.requestVoucher(ourPledgeRequest(), List.of(idevid, idevidCa)));
        assertTrue(e.problem().detail().contains("created-on"), e.problem().detail());
        assertTrue(store.latestVoucher(SERIAL).isEmpty(), "nothing stored");
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            names.add(it.next());
        }
        return names;
    }
}
