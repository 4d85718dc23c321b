package org.brski.voucher.cms;

import java.math.BigInteger;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.SignerId;
import org.bouncycastle.cms.SignerInformation;
import org.brski.voucher.VoucherException;

/**
 * Reads a CMS SignedData without judging it: content type, content, signer identifiers, embedded certificates and
 * signing time, also when the signature is bad, the content type foreign or the signer certificate absent. For
 * diagnostics ({@code brski voucher inspect}); use {@link CmsVerifier} to decide anything.
 */
public final class CmsInspector {
    private CmsInspector() {
    }

    /**
     * Parses {@code der} (see {@link CmsInput#decode(byte[])} for text encodings).
     *
     * @throws VoucherException MALFORMED_CMS only when the input is not a parseable SignedData at all
     */
    public static CmsInspection inspect(byte[] der) throws VoucherException {
        CmsStructure structure = CmsStructure.parse(der);
        List<X509Certificate> certificates = structure.certificates();
        List<CmsInspection.Signer> signers = new ArrayList<>();
        for (SignerInformation information : structure.signers) {
            signers.add(describe(information, certificates));
        }
        return new CmsInspection(structure.eContentType, structure.eContent, signers, certificates);
    }

    private static CmsInspection.Signer describe(SignerInformation information, List<X509Certificate> certificates) {
        SignerId sid = information.getSID();
        Optional<Instant> signingTime;
        try {
            signingTime = CmsStructure.signingTime(information.getSignedAttributes());
        } catch (VoucherException e) {
            signingTime = Optional.empty();
        }
        Optional<String> contentType;
        try {
            contentType = CmsStructure.singleValue(information.getSignedAttributes(), CMSAttributes.contentType,
                    "content-type").filter(ASN1ObjectIdentifier.class::isInstance).map(ASN1Primitive::toString);
        } catch (VoucherException e) {
            contentType = Optional.empty();
        }
        Optional<X509Certificate> match = Optional.empty();
        for (X509Certificate certificate : certificates) {
            try {
                if (sid.match(new JcaX509CertificateHolder(certificate))) {
                    match = Optional.of(certificate);
                    break;
                }
            } catch (CertificateEncodingException e) {
                // a certificate that cannot be re-encoded cannot be the signer's: skip it
            }
        }
        return new CmsInspection.Signer(
                Optional.ofNullable(sid.getIssuer()).map(CmsStructure::name),
                Optional.ofNullable(sid.getSerialNumber()).map(BigInteger.class::cast),
                Optional.ofNullable(sid.getSubjectKeyIdentifier()),
                information.getDigestAlgOID(),
                information.getEncryptionAlgOID(),
                signingTime,
                contentType,
                match);
    }
}
