package org.brski.masa.voucher;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import org.brski.server.ConfigException;
import org.brski.server.tls.TlsIdentity;
import org.brski.voucher.cms.CmsSigner;

/**
 * The MASA's voucher-signing key (RFC 8995 section 5.6): signs voucher JSON into DER CMS. A narrow interface so that
 * a hardware-backed signer (PKCS#11) can replace the software key later. Implementations are thread-safe.
 */
public interface VoucherSigningKey {
    /** The DER CMS SignedData of {@code voucherJson} with eContentType id-ct-animaJSONVoucher. */
    byte[] sign(byte[] voucherJson);

    /** The signing certificate. */
    X509Certificate certificate();

    /** A software key in memory; {@code chain} is embedded after the certificate. */
    static VoucherSigningKey of(PrivateKey key, X509Certificate certificate, List<X509Certificate> chain) {
        CmsSigner signer = CmsSigner.of(key, certificate, chain);
        return new VoucherSigningKey() {
            @Override
            public byte[] sign(byte[] voucherJson) {
                return signer.sign(voucherJson);
            }

            @Override
            public X509Certificate certificate() {
                return signer.certificate();
            }

            @Override
            public String toString() {
                return "VoucherSigningKey[" + certificate.getSubjectX500Principal().getName() + "]";
            }
        };
    }

    /** A software key from a PEM certificate file (certificate, then optional chain) and a PEM key file. */
    static VoucherSigningKey fromPem(Path certificateFile, Path keyFile) throws ConfigException {
        return of(TlsIdentity.fromPem(certificateFile, keyFile, "signer.cert", "signer.key"));
    }

    /** A software key from a PKCS#12 file. */
    static VoucherSigningKey fromPkcs12(Path file, char[] password) throws ConfigException {
        return of(TlsIdentity.fromPkcs12(file, password, "signer.pkcs12"));
    }

    private static VoucherSigningKey of(TlsIdentity identity) throws ConfigException {
        try {
            return of(identity.privateKey(), identity.certificate(), identity.chain());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("signer", "the voucher-signing key cannot be used: " + e.getMessage(), e);
        }
    }
}
