package org.brski.pki;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.brski.pkix.Crypto;
import org.brski.pkix.DeviceCertificates;
import org.brski.pkix.Pem;
import org.brski.pkix.PkixException;

/**
 * The on-disk form of a {@link TestPki}, shared by {@code brski pki init} and the services it configures: PEM files
 * (certificates; private keys as unencrypted PKCS#8, owner-only 0600 where POSIX permissions exist) and a manifest
 * {@value #MANIFEST} naming each role's files relative to the directory:
 *
 * <pre>{@code
 * {"version":1, "keyType":"ec-p256", "pledgeKeyType":"ec-p256", "masaUrl":"https://masa.example.com",
 *  "manufacturerCa":{"cert":"manufacturer-ca.pem","key":"manufacturer-ca.key"},
 *  "masaSigner":{...}, "masaTls":{"cert":...,"key":...,"chain":"masa-tls-chain.pem"}, "domainCa":{...},
 *  "registrar":{"cert":...,"key":...,"chain":"registrar-chain.pem"},
 *  "pledges":[{"serial":"BRSKI-0001","cert":"pledges/BRSKI-0001/idevid.pem","key":"pledges/BRSKI-0001/idevid.key"}]}
 * }</pre>
 *
 * <p>The {@code chain} files (the certificate followed by its issuers) are for TLS servers; reading ignores them and
 * rebuilds chains from the roles.
 */
public final class PkiFiles {
    /** The manifest's file name; its presence marks a directory as holding a test PKI. */
    public static final String MANIFEST = "pki.json";
    /** The manifest format version written and understood. */
    public static final int VERSION = 1;

    private PkiFiles() {
    }

    /**
     * Writes {@code pki} under {@code dir} (created if needed). The manifest is written last, so an interrupted write
     * leaves no half PKI that {@link #read(Path)} would accept.
     *
     * @param force overwrite an existing PKI (a {@value #MANIFEST} already in {@code dir}); files of pledges the
     *     new PKI lacks are left in place but no longer listed
     * @throws PkiException if a PKI exists and {@code force} is false, a serial-number cannot be a directory name,
     *     or a file cannot be written
     */
    public static void write(TestPki pki, Path dir, boolean force) throws PkiException {
        Path manifest = dir.resolve(MANIFEST);
        if (Files.exists(manifest) && !force) {
            throw new PkiException(dir + " already holds a test PKI (" + MANIFEST + " exists); refusing to overwrite "
                    + "it without force");
        }
        Set<String> folded = new HashSet<>();
        for (String serial : pki.serials()) {
            checkDirectoryName(serial);
            if (!folded.add(serial.toLowerCase(Locale.ROOT))) {
                throw new PkiException("pledge serial-numbers differing only in case would share a directory: "
                        + serial);
            }
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new PkiException(dir + ": cannot create directory (" + e + ")", e);
        }

        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = json.createObjectNode();
        root.put("version", VERSION);
        root.put("keyType", pki.keyType().cliName());
        root.put("pledgeKeyType", pki.pledgeKeyType().cliName());
        root.put("masaUrl", pki.masaUrl());
        root.set("manufacturerCa", writeRole(dir, "manufacturer-ca", pki.manufacturerCa(), false));
        root.set("masaSigner", writeRole(dir, "masa-signer", pki.masaSigner(), false));
        root.set("masaTls", writeRole(dir, "masa-tls", pki.masaTls(), true));
        root.set("domainCa", writeRole(dir, "domain-ca", pki.domainCa(), false));
        root.set("registrar", writeRole(dir, "registrar", pki.registrar(), true));
        ArrayNode pledges = root.putArray("pledges");
        for (String serial : pki.serials()) {
            String base = "pledges/" + serial + "/idevid";
            try {
                Files.createDirectories(dir.resolve("pledges").resolve(serial));
            } catch (IOException e) {
                throw new PkiException(dir.resolve("pledges").resolve(serial) + ": cannot create directory (" + e
                        + ")", e);
            }
            ObjectNode entry = root.objectNode().put("serial", serial);
            entry.setAll(writeRole(dir, base, pki.pledge(serial), false));
            pledges.add(entry);
        }
        try {
            Files.writeString(manifest, json.writeValueAsString(root) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new PkiException(manifest + ": cannot write (" + e + ")", e);
        }
    }

    /**
     * Reads a PKI written by {@link #write}. Every key is checked against its certificate and every certificate
     * against its issuer, so a mixed-up directory fails here rather than in a TLS handshake.
     *
     * @throws PkiException naming the manifest field or file that is missing or broken
     */
    public static TestPki read(Path dir) throws PkiException {
        Path manifest = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(manifest)) {
            throw new PkiException(dir + " holds no test PKI: " + manifest + " not found");
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readString(manifest, StandardCharsets.UTF_8));
        } catch (JacksonException e) {
            throw new PkiException(manifest + " is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new PkiException(manifest + ": cannot read (" + e + ")", e);
        }
        if (root == null || !root.isObject()) {
            throw new PkiException(manifest + ": expected a JSON object");
        }
        Manifest m = new Manifest(dir, manifest, root);
        JsonNode version = root.get("version");
        if (version == null || !version.isInt() || version.intValue() != VERSION) {
            throw new PkiException(manifest + ": unsupported \"version\" " + version + " (expected " + VERSION + ")");
        }
        KeyType keyType = m.keyType("keyType");
        String masaUrl = m.string(root, "masaUrl");
        try {
            HeldCertificate.requireIa5MasaUrl(masaUrl);
        } catch (IllegalArgumentException e) {
            throw new PkiException(manifest + ": \"masaUrl\": " + e.getMessage(), e);
        }

        HeldCertificate manufacturerCa = m.role(root.get("manufacturerCa"), "manufacturerCa", null);
        HeldCertificate masaSigner = m.role(root.get("masaSigner"), "masaSigner", manufacturerCa);
        HeldCertificate masaTls = m.role(root.get("masaTls"), "masaTls", manufacturerCa);
        HeldCertificate domainCa = m.role(root.get("domainCa"), "domainCa", null);
        HeldCertificate registrar = m.role(root.get("registrar"), "registrar", domainCa);
        if (manufacturerCa.keyType() != keyType) {
            throw new PkiException(manifest + ": \"keyType\" is " + keyType.cliName()
                    + " but the manufacturer CA key is " + manufacturerCa.keyType().cliName());
        }

        JsonNode list = root.get("pledges");
        if (list == null || !list.isArray()) {
            throw new PkiException(manifest + ": missing array \"pledges\"");
        }
        Map<String, HeldCertificate> pledges = new LinkedHashMap<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode entry = list.get(i);
            String where = "pledges[" + i + "]";
            HeldCertificate idevid = m.role(entry, where, manufacturerCa);
            String serial = m.string(entry, where + ".serial", "serial");
            Optional<String> actual = DeviceCertificates.serialNumber(idevid.certificate());
            if (!actual.equals(Optional.of(serial))) {
                throw new PkiException(manifest + ": " + where + " has serial \"" + serial + "\" but its IDevID "
                        + entry.get("cert").asText() + " carries serialNumber " + actual.orElse("(none)"));
            }
            if (pledges.put(serial, idevid) != null) {
                throw new PkiException(manifest + ": duplicate pledge serial \"" + serial + "\"");
            }
        }
        KeyType pledgeKeyType = root.has("pledgeKeyType") ? m.keyType("pledgeKeyType")
                : pledges.isEmpty() ? keyType : pledges.values().iterator().next().keyType();
        return new TestPki(keyType, pledgeKeyType, masaUrl, manufacturerCa, masaSigner, masaTls, domainCa, registrar,
                pledges, new SecureRandom(), Clock.systemUTC(), TestPki.IDEVID_NO_EXPIRY);
    }

    /** Rejects serial-numbers that would escape or misname their {@code pledges/} directory. */
    static void checkDirectoryName(String serial) throws PkiException {
        boolean bad = serial.isEmpty() || serial.equals(".") || serial.equals("..") || serial.length() > 128
                || serial.chars().anyMatch(c -> c == '/' || c == '\\' || c == ':' || c < 0x20 || c == 0x7f);
        if (bad) {
            throw new PkiException("pledge serial-number '" + serial + "' cannot be used as a directory name "
                    + "(no path separators, ':', control characters, '.' or '..'; at most 128 characters)");
        }
    }

    private static ObjectNode writeRole(Path dir, String base, HeldCertificate held, boolean chain)
            throws PkiException {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        try {
            Pem.writeCertificates(dir.resolve(base + ".pem"), List.of(held.certificate()));
            Pem.writePrivateKey(dir.resolve(base + ".key"), held.privateKey());
            node.put("cert", base + ".pem");
            node.put("key", base + ".key");
            if (chain) {
                Pem.writeCertificates(dir.resolve(base + "-chain.pem"), held.chainWithSelf());
                node.put("chain", base + "-chain.pem");
            }
        } catch (PkixException e) {
            throw new PkiException(e.getMessage(), e);
        }
        return node;
    }

    /** Reading state: the directory and manifest, for resolving paths and naming them in errors. */
    private static final class Manifest {
        private final Path dir;
        private final Path file;
        private final JsonNode root;

        Manifest(Path dir, Path file, JsonNode root) {
            this.dir = dir.toAbsolutePath().normalize();
            this.file = file;
            this.root = root;
        }

        KeyType keyType(String field) throws PkiException {
            String name = string(root, field);
            try {
                return KeyType.parse(name);
            } catch (IllegalArgumentException e) {
                throw new PkiException(file + ": \"" + field + "\": " + e.getMessage(), e);
            }
        }

        String string(JsonNode node, String field) throws PkiException {
            return string(node, field, field);
        }

        String string(JsonNode node, String where, String field) throws PkiException {
            JsonNode value = node.get(field);
            if (value == null || !value.isTextual() || value.asText().isEmpty()) {
                throw new PkiException(file + ": missing string \"" + where + "\"");
            }
            return value.asText();
        }

        /** Loads one role's certificate and key; {@code issuer} null means a self-signed root. */
        HeldCertificate role(JsonNode node, String name, HeldCertificate issuer) throws PkiException {
            if (node == null || !node.isObject()) {
                throw new PkiException(file + ": missing object \"" + name + "\"");
            }
            Path certFile = path(string(node, name + ".cert", "cert"), name + ".cert");
            Path keyFile = path(string(node, name + ".key", "key"), name + ".key");
            X509Certificate certificate;
            PrivateKey key;
            try {
                certificate = Pem.readCertificate(certFile);
                key = Pem.readPrivateKey(keyFile);
            } catch (PkixException e) {
                throw new PkiException(name + ": " + e.getMessage(), e);
            }
            if (issuer == null) {
                try {
                    certificate.verify(certificate.getPublicKey(), Crypto.provider());
                } catch (GeneralSecurityException e) {
                    throw new PkiException(name + ": " + certFile + " is not a self-signed CA certificate", e);
                }
            }
            try {
                return HeldCertificate.of(key, certificate, issuer == null ? List.of() : issuer.chainWithSelf());
            } catch (IllegalArgumentException e) {
                throw new PkiException(name + " (" + certFile + ", " + keyFile + "): " + e.getMessage(), e);
            }
        }

        private Path path(String relative, String field) throws PkiException {
            Path resolved = dir.resolve(relative).normalize();
            if (!resolved.startsWith(dir) || resolved.equals(dir)) {
                throw new PkiException(file + ": \"" + field + "\" (" + relative + ") points outside " + dir);
            }
            if (!Files.isRegularFile(resolved)) {
                throw new PkiException(file + ": \"" + field + "\" names " + resolved + ", which does not exist");
            }
            return resolved;
        }
    }
}
