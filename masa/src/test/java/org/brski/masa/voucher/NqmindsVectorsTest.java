package org.brski.masa.voucher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.brski.masa.MasaException;
import org.brski.masa.Refusal;
import org.brski.masa.store.Device;
import org.brski.masa.store.JdbcMasaStore;
import org.brski.masa.store.MasaStore;
import org.brski.masa.store.Ownership;
import org.brski.pki.HeldCertificate;
import org.brski.pkix.Pem;
import org.brski.server.config.Compat;
import org.brski.server.db.Database;
import org.brski.server.db.DatabaseConfig;
import org.brski.server.db.Databases;
import org.brski.voucher.Voucher;
import org.brski.voucher.VoucherJson;
import org.brski.voucher.cms.CmsSigner;
import org.brski.voucher.cms.CmsVerifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The MASA core on the registrar voucher-requests that a real nqminds brski 0.2.6 registrar sent (captured on the
 * wire, src/test/resources/nqminds). The captured signer {@code registrar-cms} has no id-kp-cmcRA, so the captured
 * request is refused for that reason in every mode (RFC 8995 5.5.4). The same JSON bytes, re-signed with a registrar
 * certificate that has id-kp-cmcRA (issued here for the key of the registrar TLS certificate the pledge saw, by the
 * captured registrar TLS CA), get a voucher under {@code compat nqminds}: its {@code idevid-issuer}, base64 of the
 * text "C = IE, CN = idevca", is matched against the IDevID issuer by attribute values.
 */
class NqmindsVectorsTest {
    private static final Path DIR = Path.of("src", "test", "resources", "nqminds");
    private static final String SERIAL = "idev-serial12345";
    private static final String NONCE = "gSeIuwevGlXkRGSNojhy4g==";
    private static final String CMS = "application/voucher-cms+json";
    /** Nine seconds after the captured created-on (21:49:51Z), with a fraction that must not reach the voucher. */
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T21:50:00.123456789Z"), ZoneOffset.UTC);

    private static X509Certificate idevidCa;
    private static X509Certificate registrarTlsCa;
    private static HeldCertificate cmcRaRegistrar;
    private static HeldCertificate masaSigner;

    private Database database;

    @BeforeAll
    static void load() throws Exception {
        idevidCa = Pem.readCertificate(DIR.resolve("certs/idevid-ca.crt"));
        registrarTlsCa = Pem.readCertificate(DIR.resolve("certs/registrar-tls-ca.crt"));
        HeldCertificate tlsCa = HeldCertificate.of(Pem.readPrivateKey(DIR.resolve("certs/registrar-tls-ca.key")),
                registrarTlsCa, List.of());
        X509Certificate tls = Pem.readCertificate(DIR.resolve("certs/registrar-tls.crt"));
        KeyPair tlsKey = new KeyPair(tls.getPublicKey(), Pem.readPrivateKey(DIR.resolve("certs/registrar-tls.key")));
        cmcRaRegistrar = HeldCertificate.builder().subject("CN=registrar-tls-meta,C=IE").keyPair(tlsKey)
                .extendedKeyUsage(HeldCertificate.ID_KP_CMC_RA)
                .validity(Instant.parse("2026-12-07T21:32:43Z"), Instant.parse("2036-12-07T21:32:43Z"))
                .signedBy(tlsCa).build();
        masaSigner = HeldCertificate.builder().commonName("MASA")
                .validity(Instant.parse("2026-12-07T21:32:43Z"), Instant.parse("2036-12-07T21:32:43Z")).build();
    }

    @BeforeEach
    void open() throws Exception {
        database = Databases.open(DatabaseConfig.h2Memory("nqminds-" + UUID.randomUUID()),
                JdbcMasaStore.MIGRATIONS, JdbcMasaStore.HISTORY_TABLE);
    }

    @AfterEach
    void close() {
        database.close();
    }

    private VoucherIssuer issuer(Compat compat) throws Exception {
        MasaStore store = new JdbcMasaStore(database.dataSource());
        store.addDevice(new Device(SERIAL, Ownership.byDefault(), OffsetDateTime.now(ZoneOffset.UTC)));
        MasaPolicy policy = MasaPolicy.builder().manufacturerAnchors(List.of(idevidCa)).compat(compat).build();
        return new VoucherIssuer(policy, store, VoucherSigningKey.of(masaSigner.privateKey(),
                masaSigner.certificate(), List.of()), CLOCK);
    }

    private static byte[] read(String file) throws Exception {
        return Files.readAllBytes(DIR.resolve(file));
    }

    /** The captured eContent, byte for byte, signed by the cmcRA registrar certificate (chain up to its CA). */
    private static byte[] resigned(String folder) throws Exception {
        return CmsSigner.of(cmcRaRegistrar.privateKey(), cmcRaRegistrar.certificate(), List.of(registrarTlsCa))
                .sign(read(folder + "/2-rvr.json"));
    }

    private static MasaException refusal(VoucherIssuer issuer, byte[] body) {
        return assertThrows(MasaException.class, () -> issuer.requestVoucher(MasaRequest.of(body, CMS, "*/*",
                List.of())));
    }

    @Test
    void theCapturedRequestIsRefusedInEveryModeBecauseItsSignerLacksCmcRa() throws Exception {
        for (Compat compat : Compat.values()) {
            VoucherIssuer issuer = issuer(compat);
            MasaException refused = refusal(issuer, read("02-preq-idevid/2-rvr.der"));
            assertEquals(Refusal.NOT_A_REGISTRAR, refused.refusal(), compat + ": " + refused.getMessage());
            assertTrue(refused.getMessage().contains("id-kp-cmcRA")
                    && refused.getMessage().contains("registrar-cms-meta"), refused.getMessage());
            assertFalse(refused.getMessage().contains("idevid-issuer"), refused.getMessage());
        }
        MasaException wire = refusal(issuer(Compat.NQMINDS), read("02-preq-idevid/2-rvr.b64"));
        assertEquals(Refusal.NOT_A_REGISTRAR, wire.refusal(), "the body as sent (base64): " + wire.getMessage());
    }

    @Test
    void theCapturedJsonSignedByACmcRaRegistrarGetsAVoucherUnderCompatNqminds() throws Exception {
        byte[] body = Base64.getEncoder().encode(resigned("02-preq-idevid"));
        MasaResponse response = issuer(Compat.NQMINDS).requestVoucher(MasaRequest.of(body, CMS, "*/*", List.of()));
        byte[] der = Base64.getDecoder().decode(response.body());
        byte[] json = CmsVerifier.trusting(List.of(masaSigner.certificate())).at(CLOCK.instant()).verify(der)
                .content();
        Voucher voucher = VoucherJson.strict().parseVoucher(json);
        assertEquals(SERIAL, voucher.serialNumber());
        assertEquals(Optional.of(NONCE), voucher.nonce());
        assertArrayEquals(registrarTlsCa.getEncoded(), voucher.pinnedDomainCert(), "the registrar's CA, as nqminds");
        String text = new String(json, StandardCharsets.UTF_8);
        assertTrue(text.contains("\"created-on\":\"2026-12-07T21:50:00Z\""), "whole seconds: " + text);
    }

    @Test
    void aTextIdevidIssuerNamingAnotherCaIsRefused() throws Exception {
        String json = new String(read("02-preq-idevid/2-rvr.json"), StandardCharsets.US_ASCII);
        String other = Base64.getEncoder().encodeToString("C = IE, CN = otherca".getBytes(StandardCharsets.US_ASCII));
        String ours = "QyA9IElFLCBDTiA9IGlkZXZjYQ==";
        assertTrue(json.contains(ours), "the captured idevid-issuer");
        byte[] mutated = CmsSigner.of(cmcRaRegistrar.privateKey(), cmcRaRegistrar.certificate(),
                List.of(registrarTlsCa)).sign(json.replace(ours, other).getBytes(StandardCharsets.US_ASCII));
        MasaException refused = refusal(issuer(Compat.NQMINDS), mutated);
        assertEquals(Refusal.SERIAL_MISMATCH, refused.refusal(), refused.getMessage());
        assertTrue(refused.getMessage().contains("idevid-issuer"), refused.getMessage());
    }

    @Test
    void withoutCompatTheResignedRequestIsRefusedForItsRoot() throws Exception {
        MasaException refused = refusal(issuer(Compat.NONE), resigned("02-preq-idevid"));
        assertEquals(Refusal.MALFORMED_REQUEST, refused.refusal());
        assertTrue(refused.getMessage().contains("ietf-voucher:voucher"), refused.getMessage());
    }

    @Test
    void aPledgeRequestSignedByPledgeCmsIsRefusedEvenResignedByACmcRaRegistrar() throws Exception {
        MasaException refused = refusal(issuer(Compat.NQMINDS), resigned("01-preq-pledgecms"));
        assertEquals(Refusal.FOREIGN_PLEDGE, refused.refusal(), refused.getMessage());
        assertTrue(refused.getMessage().startsWith("prior-signed-voucher-request"), refused.getMessage());
    }
}
