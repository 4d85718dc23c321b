package org.brski.pkix;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/**
 * PEM input and output for certificates and private keys. Keys are written as unencrypted PKCS#8 and read from
 * PKCS#8, SEC1 ({@code EC PRIVATE KEY}) or PKCS#1 ({@code RSA PRIVATE KEY}) through Bouncy Castle, so that the key
 * objects belong to the provider that signs with them.
 */
public final class Pem {
    private Pem() {
    }

    /** PEM text of one certificate. */
    public static String encodeCertificate(X509Certificate certificate) {
        return write(certificate);
    }

    /** PEM text of several certificates, in order. */
    public static String encodeCertificates(List<X509Certificate> certificates) {
        StringBuilder out = new StringBuilder();
        certificates.forEach(c -> out.append(write(c)));
        return out.toString();
    }

    /** PEM text of a private key as unencrypted PKCS#8 ({@code PRIVATE KEY}). */
    public static String encodePrivateKey(PrivateKey key) {
        try {
            return write(new JcaPKCS8Generator(key, null).generate());
        } catch (org.bouncycastle.util.io.pem.PemGenerationException e) {
            throw new IllegalArgumentException("cannot encode private key: " + e.getMessage(), e);
        }
    }

    /** Reads every certificate in a PEM file; fails when there is none. */
    public static List<X509Certificate> readCertificates(Path file) throws PkixException {
        return parseCertificates(readText(file), file.toString());
    }

    /** Parses every certificate in PEM text; {@code source} names the input in error messages. */
    public static List<X509Certificate> parseCertificates(String pem, String source) throws PkixException {
        List<X509Certificate> certificates = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter().setProvider(Crypto.provider());
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof X509CertificateHolder holder) {
                    certificates.add(converter.getCertificate(holder));
                }
            }
        } catch (IOException | CertificateException e) {
            throw new PkixException(source + ": not a valid PEM certificate file (" + e.getMessage() + ")", e);
        }
        if (certificates.isEmpty()) {
            throw new PkixException(source + ": contains no PEM certificate");
        }
        return List.copyOf(certificates);
    }

    /** Reads the first certificate of a PEM file. */
    public static X509Certificate readCertificate(Path file) throws PkixException {
        return readCertificates(file).get(0);
    }

    /** Reads a private key from a PEM file (PKCS#8, SEC1 EC or PKCS#1 RSA, unencrypted). */
    public static PrivateKey readPrivateKey(Path file) throws PkixException {
        return parsePrivateKey(readText(file), file.toString());
    }

    /** Parses a private key from PEM text; {@code source} names the input in error messages. */
    public static PrivateKey parsePrivateKey(String pem, String source) throws PkixException {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter().setProvider(Crypto.provider());
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (o instanceof PEMKeyPair pair) {
                    return converter.getKeyPair(pair).getPrivate();
                }
            }
        } catch (IOException e) {
            throw new PkixException(source + ": not a valid PEM private key (" + e.getMessage() + ")", e);
        }
        throw new PkixException(source + ": contains no unencrypted PEM private key");
    }

    /** Writes a certificate chain as PEM. */
    public static void writeCertificates(Path file, List<X509Certificate> certificates) throws PkixException {
        try {
            Files.writeString(file, encodeCertificates(certificates), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new PkixException(file + ": cannot write (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Writes a private key as PKCS#8 PEM, readable only by its owner (0600) where the file system supports POSIX
     * permissions. The file is created with those permissions, never widened afterwards.
     */
    public static void writePrivateKey(Path file, PrivateKey key) throws PkixException {
        try {
            Files.deleteIfExists(file);
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(file);
            }
            Files.writeString(file, encodePrivateKey(key), StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (FileAlreadyExistsException e) {
            throw new PkixException(file + ": appeared while writing the key", e);
        } catch (IOException e) {
            throw new PkixException(file + ": cannot write (" + e.getMessage() + ")", e);
        }
    }

    private static String readText(Path file) throws PkixException {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new PkixException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    private static String write(Object object) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new IllegalStateException("PEM encoding to memory failed", e);
        }
        return text.toString();
    }

}
