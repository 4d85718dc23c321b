package org.brski.registrar.est;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.brski.pki.Fuzz;
import org.brski.pkix.Crypto;
import org.brski.registrar.RegistrarException;
import org.brski.server.tls.ChannelBinding;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes what EST does with a request body before any certificate is issued (RFC 7030 4.2, RFC 8951): base64 or DER
 * decoding, PKCS#10 parsing, the key policy, the subject rules, proof-of-possession linking and the signature check,
 * with mutants of real CSRs (EC P-256, P-384, RSA; with and without challengePassword) and random bytes up to the
 * 16 KiB CSR limit. Only {@link RegistrarException} (a 4xx problem) may escape. See {@link Fuzz} for a longer run.
 */
class CsrFuzzTest {
    private static final int LIMIT = EstSettings.defaults().maxCsrBytes();
    private static final ChannelBinding BINDING = new ChannelBinding(ChannelBinding.TLS_UNIQUE, new byte[12]);

    private static byte[] csr(KeyPair key, String algorithm, String subject, boolean password) throws Exception {
        JcaPKCS10CertificationRequestBuilder b = new JcaPKCS10CertificationRequestBuilder(new X500Name(subject),
                key.getPublic());
        if (password) {
            b.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_challengePassword,
                    new DERPrintableString(Base64.getEncoder().encodeToString(new byte[12])));
        }
        return b.build(new JcaContentSignerBuilder(algorithm).setProvider(Crypto.provider()).build(key.getPrivate()))
                .getEncoded();
    }

    private static KeyPair key(String algorithm, Object parameter) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm, Crypto.provider());
        if (parameter instanceof String curve) {
            g.initialize(new ECGenParameterSpec(curve));
        } else {
            g.initialize((Integer) parameter);
        }
        return g.generateKeyPair();
    }

    @Test
    void estCsrHandlingThrowsOnlyItsProblems() throws Exception {
        List<byte[]> seeds = new ArrayList<>();
        seeds.add(csr(key("EC", "secp256r1"), "SHA256withECDSA", "CN=pledge,SERIALNUMBER=FUZZ-1", true));
        seeds.add(csr(key("EC", "secp384r1"), "SHA384withECDSA", "CN=pledge,O=acme", false));
        seeds.add(csr(key("RSA", 2048), "SHA256withRSA", "CN=rsa pledge", true));
        for (int i = 0, n = seeds.size(); i < n; i++) {
            seeds.add(Base64.getMimeEncoder().encode(seeds.get(i)));
        }
        int tried = Fuzz.run("EST CSR", seeds, LIMIT, RegistrarException.class, in -> {
            try {
                PKCS10CertificationRequest csr = EstEncoding.pkcs10(in);
                EstService.checkKey(csr.getSubjectPublicKeyInfo());
                EstService.ldevidSubject(csr.getSubject(), "FUZZ-1");
                EstService.checkPopLinking(csr, Optional.of(BINDING), true);
            } finally {
                EstService.judgedCsr(in, LIMIT);
            }
        });
        assertTrue(tried >= seeds.size());
    }

    @Test
    void estBodyDecodingThrowsOnlyItsProblems() throws Exception {
        List<byte[]> seeds = List.of(Base64.getMimeEncoder().encode(csr(key("EC", "secp256r1"), "SHA256withECDSA",
                "CN=x", false)), ("-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertTrue(Fuzz.run("EST body", seeds, LIMIT, RegistrarException.class,
                in -> EstEncoding.decodeBody(in, "CSR")) >= seeds.size());
    }
}
