package org.brski.pledge;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;
import org.brski.pkix.Crypto;
import org.brski.pkix.DeviceCertificates;
import org.brski.pkix.Pem;
import org.brski.pkix.PkixException;
import org.brski.pledge.PledgeException.Reason;
import org.brski.pledge.est.EstCodec;
import org.brski.voucher.Voucher;
import org.brski.voucher.VoucherCms;
import org.brski.voucher.VoucherException;
import org.brski.voucher.VoucherJson;
import org.brski.voucher.cms.CmsInput;
import org.brski.voucher.cms.CmsVerifier;

/**
 * What a pledge holds after onboarding (RFC 8995 section 5.9): the voucher that imprinted it (signed bytes and parsed),
 * the registrar it enrolled with and the certificate that registrar presented, the domain trust anchors from
 * {@code /cacerts}, and the LDevID key and certificate chain. Immutable; {@link #toString()} never shows the key.
 *
 * <p>{@link #save(Path)} and {@link #load(Path)} keep it in a directory so a device survives restarts:
 * <pre>
 *   voucher.pem        the voucher CMS as received (PEM label CMS, RFC 7468)
 *   registrar.url      the registrar URI
 *   registrar.pem      the registrar's TLS certificate chain as validated against the pin
 *   domain-ca.pem      the domain trust anchors
 *   ldevid.pem         the LDevID certificate, then its intermediates
 *   ldevid-key.pem     the LDevID private key, PKCS#8, owner-only (0600)
 * </pre>
 */
public final class OnboardingResult {
    static final String VOUCHER = "voucher.pem";
    static final String REGISTRAR_URL = "registrar.url";
    static final String REGISTRAR_CERT = "registrar.pem";
    static final String DOMAIN_CA = "domain-ca.pem";
    static final String LDEVID = "ldevid.pem";
    static final String LDEVID_KEY = "ldevid-key.pem";
    /** The marker that a save's files are all written (its commit point). */
    static final String COMMIT = "save.commit";
    private static final List<String> FILES = List.of(VOUCHER, REGISTRAR_URL, REGISTRAR_CERT, DOMAIN_CA, LDEVID,
            LDEVID_KEY);
    private static final long MAX_FILE = 1024 * 1024;

    private final URI registrar;
    private final byte[] voucherCms;
    private final Voucher voucher;
    private final List<X509Certificate> registrarChain;
    private final List<X509Certificate> domainTrustAnchors;
    private final PrivateKey ldevidKey;
    private final List<X509Certificate> ldevidChain;

    private OnboardingResult(URI registrar, byte[] voucherCms, Voucher voucher, List<X509Certificate> registrarChain,
            List<X509Certificate> domainTrustAnchors, PrivateKey ldevidKey, List<X509Certificate> ldevidChain) {
        this.registrar = Objects.requireNonNull(registrar, "registrar");
        this.voucherCms = voucherCms.clone();
        this.voucher = Objects.requireNonNull(voucher, "voucher");
        this.registrarChain = List.copyOf(registrarChain);
        this.domainTrustAnchors = List.copyOf(domainTrustAnchors);
        this.ldevidKey = Objects.requireNonNull(ldevidKey, "ldevidKey");
        this.ldevidChain = List.copyOf(ldevidChain);
        if (this.ldevidChain.isEmpty() || this.domainTrustAnchors.isEmpty() || this.registrarChain.isEmpty()) {
            throw new IllegalArgumentException("LDevID chain, domain trust anchors and registrar chain are required");
        }
    }

    static OnboardingResult of(URI registrar, byte[] voucherCms, Voucher voucher,
            List<X509Certificate> registrarChain, List<X509Certificate> domainTrustAnchors, PrivateKey ldevidKey,
            List<X509Certificate> ldevidChain) {
        return new OnboardingResult(registrar, voucherCms, voucher, registrarChain, domainTrustAnchors, ldevidKey,
                ldevidChain);
    }

    /** The same state with a new LDevID (after re-enrollment) and possibly updated anchors. */
    OnboardingResult withLdevid(PrivateKey key, List<X509Certificate> chain, List<X509Certificate> anchors) {
        return new OnboardingResult(registrar, voucherCms, voucher, registrarChain, anchors, key, chain);
    }

    /** The registrar the pledge enrolled with. */
    public URI registrar() {
        return registrar;
    }

    /** The voucher CMS (DER) exactly as received, a fresh copy. */
    public byte[] voucherCms() {
        return voucherCms.clone();
    }

    /** The parsed voucher. */
    public Voucher voucher() {
        return voucher;
    }

    /** The registrar's TLS certificate chain, end-entity first, as validated against the pinned-domain-cert. */
    public List<X509Certificate> registrarChain() {
        return registrarChain;
    }

    /** The domain trust anchors: the {@code /cacerts} certificates consistent with the voucher's pin. */
    public List<X509Certificate> domainTrustAnchors() {
        return domainTrustAnchors;
    }

    /** The LDevID private key. */
    public PrivateKey ldevidKey() {
        return ldevidKey;
    }

    /** The LDevID certificate. */
    public X509Certificate ldevid() {
        return ldevidChain.get(0);
    }

    /** The LDevID certificate followed by its intermediates. */
    public List<X509Certificate> ldevidChain() {
        return ldevidChain;
    }

    /**
     * Writes this state into {@code dir} (created owner-only if missing). The key file is created with
     * permissions 0600 where the file system supports POSIX permissions.
     *
     * <p>The write is crash-safe, because a re-enrolling device replaces its LDevID and its key together: every file
     * is first written in full beside its final name ({@code *.new}, flushed to disk), then a commit marker is
     * created, then the files are renamed into place and the marker removed. {@link #load(Path)} finishes an
     * interrupted save that reached the marker and discards one that did not, so the directory always holds either
     * the old state or the new one, never an LDevID with another certificate's key.
     *
     * @throws PledgeException STATE when a file cannot be written
     */
    public void save(Path dir) throws PledgeException {
        try {
            stage(dir);
            rollForward(dir);
        } catch (IOException | PkixException e) {
            throw new PledgeException(Step.STATE, Reason.STATE, dir + ": cannot save the onboarding state ("
                    + e.getMessage() + ")", e);
        }
    }

    /** Phase one of {@link #save}: every file written as {@code *.new}, then the commit marker. */
    void stage(Path dir) throws IOException, PkixException {
        if (!Files.isDirectory(dir)) {
            try {
                Files.createDirectories(dir,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (UnsupportedOperationException notPosix) {
                Files.createDirectories(dir);
            }
        }
        discardStaged(dir);
        StringWriter pem = new StringWriter();
        try (PemWriter writer = new PemWriter(pem)) {
            writer.writeObject(new PemObject("CMS", voucherCms));
        }
        Files.writeString(staged(dir, VOUCHER), pem.toString(), StandardCharsets.US_ASCII);
        Files.writeString(staged(dir, REGISTRAR_URL), registrar + "\n", StandardCharsets.UTF_8);
        Pem.writeCertificates(staged(dir, REGISTRAR_CERT), registrarChain);
        Pem.writeCertificates(staged(dir, DOMAIN_CA), domainTrustAnchors);
        Pem.writeCertificates(staged(dir, LDEVID), ldevidChain);
        Pem.writePrivateKey(staged(dir, LDEVID_KEY), ldevidKey);
        for (String name : FILES) {
            flush(staged(dir, name));
        }
        Files.writeString(dir.resolve(COMMIT), "commit\n", StandardCharsets.US_ASCII);
        flush(dir.resolve(COMMIT));
    }

    /** Phase two of {@link #save}, also run by {@link #load} after a crash: staged files into place, marker gone. */
    static void rollForward(Path dir) throws IOException {
        for (String name : FILES) {
            Path staged = staged(dir, name);
            if (Files.exists(staged)) {
                Files.move(staged, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            }
        }
        Files.deleteIfExists(dir.resolve(COMMIT));
    }

    /** Brings {@code dir} to a committed state: finishes a save past its commit point, discards one before it. */
    private static void recover(Path dir) throws IOException {
        if (Files.exists(dir.resolve(COMMIT))) {
            rollForward(dir);
        } else {
            discardStaged(dir);
        }
    }

    private static void discardStaged(Path dir) throws IOException {
        for (String name : FILES) {
            Files.deleteIfExists(staged(dir, name));
        }
    }

    private static Path staged(Path dir, String name) {
        return dir.resolve(name + ".new");
    }

    private static void flush(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    /**
     * Reads a state written by {@link #save(Path)}. The voucher's CMS signature is checked again (its MASA chain was
     * validated when it arrived; its dates are not judged again), and the key must belong to the LDevID certificate.
     *
     * @throws PledgeException STATE naming the file that is missing or broken
     */
    public static OnboardingResult load(Path dir) throws PledgeException {
        try {
            recover(dir);
            byte[] voucherDer = CmsInput.decode(read(dir.resolve(VOUCHER)));
            Voucher voucher = VoucherCms.verifyVoucher(CmsVerifier.signatureOnly(), VoucherJson.lenient(), voucherDer)
                    .artifact();
            String url = new String(read(dir.resolve(REGISTRAR_URL)), StandardCharsets.UTF_8).trim();
            URI registrar = new URI(url);
            List<X509Certificate> registrarChain = Pem.readCertificates(dir.resolve(REGISTRAR_CERT));
            List<X509Certificate> anchors = Pem.readCertificates(dir.resolve(DOMAIN_CA));
            List<X509Certificate> chain = Pem.readCertificates(dir.resolve(LDEVID));
            PrivateKey key = Pem.readPrivateKey(dir.resolve(LDEVID_KEY));
            if (!keyMatches(key, chain.get(0))) {
                throw new PledgeException(Step.STATE, Reason.STATE, dir.resolve(LDEVID_KEY)
                        + ": the key does not belong to the certificate in " + LDEVID);
            }
            return new OnboardingResult(registrar, voucherDer, voucher, registrarChain, anchors, key, chain);
        } catch (IOException | PkixException | URISyntaxException | VoucherException e) {
            throw new PledgeException(Step.STATE, Reason.STATE, dir + ": cannot load the onboarding state ("
                    + e.getMessage() + ")", e);
        }
    }

    /** Whether {@code key} signs what {@code certificate}'s public key verifies. */
    static boolean keyMatches(PrivateKey key, X509Certificate certificate) {
        byte[] probe = "brski pledge key check".getBytes(StandardCharsets.US_ASCII);
        String algorithm = EstCodec.signatureAlgorithm(certificate.getPublicKey());
        try {
            Signature signer = Signature.getInstance(algorithm, Crypto.provider());
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm, Crypto.provider());
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static byte[] read(Path file) throws IOException {
        if (Files.size(file) > MAX_FILE) {
            throw new IOException(file + ": larger than " + MAX_FILE + " bytes");
        }
        return Files.readAllBytes(file);
    }

    @Override
    public String toString() {
        return "OnboardingResult[" + voucher.serialNumber() + " at " + registrar + ", LDevID '"
                + DeviceCertificates.displayName(ldevid().getSubjectX500Principal()) + "' until "
                + ldevid().getNotAfter().toInstant() + ", " + domainTrustAnchors.size() + " domain anchor(s)]";
    }
}
