package org.brski.registrar.est;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Optional;

import org.bouncycastle.asn1.ASN1BitString;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.BERTags;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.operator.ContentVerifier;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.brski.pkix.Crypto;

/**
 * The enrollment request of nqminds brski: an X.509 v3 certificate signed with the key it certifies, sent to
 * {@code /simpleenroll} instead of a PKCS#10 CSR. Only its public key and signature matter (the signature is the proof
 * of possession); names, validity and extensions are ignored. Read at the ASN.1 level because its issuer is an empty
 * name, which Bouncy Castle's certificate classes refuse (unless a JVM-wide property is set).
 */
final class SelfSignedRequest {
    private final SubjectPublicKeyInfo publicKey;
    private final byte[] tbs;
    private final AlgorithmIdentifier algorithm;
    private final byte[] signature;

    private SelfSignedRequest(SubjectPublicKeyInfo publicKey, byte[] tbs, AlgorithmIdentifier algorithm,
            byte[] signature) {
        this.publicKey = publicKey;
        this.tbs = tbs;
        this.algorithm = algorithm;
        this.signature = signature;
    }

    /**
     * {@code der} as such a certificate: {@code SEQUENCE {tbsCertificate, signatureAlgorithm, signatureValue}} whose
     * tbsCertificate starts with the explicit version tag (so a PKCS#10 request, which starts with an INTEGER, never
     * matches) and holds a subjectPublicKeyInfo.
     *
     * @return empty when {@code der} is not a certificate
     */
    static Optional<SelfSignedRequest> parse(byte[] der) {
        try {
            ASN1Sequence certificate = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(der));
            if (certificate.size() != 3) {
                return Optional.empty();
            }
            ASN1Sequence tbs = ASN1Sequence.getInstance(certificate.getObjectAt(0));
            if (tbs.size() < 7 || !(tbs.getObjectAt(0) instanceof ASN1TaggedObject version)
                    || version.getTagClass() != BERTags.CONTEXT_SPECIFIC || version.getTagNo() != 0) {
                return Optional.empty();
            }
            // version, serialNumber, signature, issuer, validity, subject, subjectPublicKeyInfo (RFC 5280 4.1)
            return Optional.of(new SelfSignedRequest(SubjectPublicKeyInfo.getInstance(tbs.getObjectAt(6)),
                    tbs.getEncoded(ASN1Encoding.DER), AlgorithmIdentifier.getInstance(certificate.getObjectAt(1)),
                    ASN1BitString.getInstance(certificate.getObjectAt(2)).getOctets()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The key to certify. */
    SubjectPublicKeyInfo publicKey() {
        return publicKey;
    }

    /** Whether the signature verifies with the certificate's own public key (proof of possession). */
    boolean selfSignatureValid() {
        try {
            ContentVerifier verifier = new JcaContentVerifierProviderBuilder().setProvider(Crypto.provider())
                    .build(publicKey).get(algorithm);
            try (OutputStream out = verifier.getOutputStream()) {
                out.write(tbs);
            }
            return verifier.verify(signature);
        } catch (OperatorCreationException | IOException | RuntimeException e) {
            return false;
        }
    }
}
