package org.brski.voucher.cms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.brski.pkix.Crypto;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.SignedData;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.brski.pki.HeldCertificate;
import org.brski.pkix.Pem;
import org.brski.pkix.PkixException;
import org.brski.voucher.VoucherException;
import org.junit.jupiter.api.function.Executable;

/** Test vectors on the class path and helpers that rebuild CMS structures. */
final class CmsTestSupport {
    /** Validation time for the RFC 8995 Appendix C vectors (all have expired since). */
    static final Instant RFC_T = Instant.parse("2021-04-28T00:00:00Z");

    static final byte[] VOUCHER_JSON = ("{\"ietf-voucher:voucher\":{\"assertion\":\"logged\","
            + "\"created-on\":\"2026-01-01T00:00:00Z\",\"serial-number\":\"BRSKI-0001\",\"nonce\":\"abc\","
            + "\"pinned-domain-cert\":\"MIIB\"}}").getBytes(StandardCharsets.UTF_8);

    private CmsTestSupport() {
    }

    static byte[] resource(String name) {
        try (InputStream in = CmsTestSupport.class.getResourceAsStream("/rfc8995/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource /rfc8995/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static X509Certificate certificate(String name) {
        try {
            return Pem.parseCertificates(new String(resource(name), StandardCharsets.US_ASCII), name).get(0);
        } catch (PkixException e) {
            throw new IllegalStateException(e);
        }
    }

    static X509CertificateHolder holder(X509Certificate certificate) {
        try {
            return new JcaX509CertificateHolder(certificate);
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<X509CertificateHolder> holders(HeldCertificate held) {
        List<X509CertificateHolder> result = new ArrayList<>();
        result.add(holder(held.certificate()));
        held.issuerChain().forEach(c -> result.add(holder(c)));
        return result;
    }

    /** Decodes a SignedData, lets {@code change} rebuild it, and encodes it again as DER. */
    static byte[] rebuild(byte[] der, UnaryOperator<SignedData> change) {
        ContentInfo info = ContentInfo.getInstance(der);
        SignedData changed = change.apply(SignedData.getInstance(info.getContent()));
        try {
            return new ContentInfo(CMSObjectIdentifiers.signedData, changed).getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same SignedData with another certificates set (null: none). */
    static byte[] withCertificates(byte[] der, List<X509Certificate> certificates) {
        return rebuild(der, sd -> {
            ASN1Set set = null;
            if (certificates != null) {
                ASN1EncodableVector v = new ASN1EncodableVector();
                certificates.forEach(c -> v.add(holder(c).toASN1Structure()));
                set = new DERSet(v);
            }
            return new SignedData(sd.getDigestAlgorithms(), sd.getEncapContentInfo(), set, sd.getCRLs(),
                    sd.getSignerInfos());
        });
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static VoucherException assertRejected(VoucherException.Reason reason, Executable call) {
        VoucherException e = assertThrows(VoucherException.class, call);
        assertEquals(reason, e.reason(), () -> "unexpected reason, message: " + e.getMessage());
        return e;
    }


    record KeyAndCertificate(PrivateKey privateKey, X509Certificate certificate) {
    }

    /** A self-signed certificate for any key pair (test-pki only builds the supported key types). */
    static KeyAndCertificate selfSigned(KeyPair pair, String signatureAlgorithm) {
        try {
            X500Name name = new X500Name("CN=self-signed " + signatureAlgorithm);
            Instant now = Instant.now();
            X509CertificateHolder holder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                    Date.from(now.minusSeconds(3600)), Date.from(now.plusSeconds(86400)), name, pair.getPublic())
                    .build(new JcaContentSignerBuilder(signatureAlgorithm).setProvider(Crypto.provider())
                            .build(pair.getPrivate()));
            return new KeyAndCertificate(pair.getPrivate(),
                    new JcaX509CertificateConverter().setProvider(Crypto.provider()).getCertificate(holder));
        } catch (OperatorCreationException | CertificateException e) {
            throw new IllegalStateException(e);
        }
    }
}
