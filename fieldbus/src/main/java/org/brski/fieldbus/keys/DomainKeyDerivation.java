package org.brski.fieldbus.keys;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

import org.brski.fieldbus.KeyRole;
import org.brski.fieldbus.crypto.Hkdf;
import org.brski.fieldbus.crypto.KeyId;

/**
 * The domain's machine keys, derived from one master key instead of stored per machine (key-management background,
 * "Derive From a Master"; the DUKPT idea of ANSI X9.24-3): a leak of the key database exposes no key, and a refresh is
 * a revision bump. HKDF-SHA-256 (RFC 5869) with public context:
 *
 * <pre>
 * key    = HKDF(IKM = master, salt = "brski-fieldbus-v1", info = role || 0x00 || machine || 0x00 || revision (4, BE), L = 16)
 * Key ID = first 4 bytes of HKDF(master, salt, info = "key-id" || 0x00 || role || 0x00 || machine || 0x00 || revision
 *          [|| counter]), re-derived with a counter byte while it is 0 or 0xFFFFFFFF (EmSA WP-104 6)
 * </pre>
 * where role is {@code integrator} or {@code operator} and machine is UTF-8. The Key ID reveals nothing about the key
 * (independent HKDF output) and is stable, so a tool can look a node's key up by the Key ID it reads back (WP-104 3.5).
 * Holds a copy of the master; meant to live inside a key store implementation.
 */
public final class DomainKeyDerivation {
    private static final byte[] SALT = "brski-fieldbus-v1".getBytes(StandardCharsets.US_ASCII);
    /** Length of the derived base keys: AES-128 (EmSA WP-104 5). */
    public static final int KEY_LENGTH = 16;

    private final byte[] master;

    private DomainKeyDerivation(byte[] master) {
        this.master = master;
    }

    /** @param masterKey 32 bytes of the domain master key */
    public static DomainKeyDerivation of(byte[] masterKey) {
        Objects.requireNonNull(masterKey, "masterKey");
        if (masterKey.length != 32) {
            throw new IllegalArgumentException("the domain master key is 32 bytes");
        }
        return new DomainKeyDerivation(masterKey.clone());
    }

    /** The machine's Integrator Key of a revision (WP-104 3.3). */
    public PackagedKey integratorKey(String machineId, int revision) {
        return PackagedKey.integrator(derive(KeyRole.INTEGRATOR, machineId, revision),
                keyId(KeyRole.INTEGRATOR, machineId, revision), revision);
    }

    /** The machine's Operator Key of a revision (WP-104 3.4). */
    public PackagedKey operatorKey(String machineId, int revision) {
        return PackagedKey.operator(derive(KeyRole.OPERATOR, machineId, revision),
                keyId(KeyRole.OPERATOR, machineId, revision), revision);
    }

    /** Further keys for the key store's own use (e.g. wrapping Provisioning Keys at rest), by purpose label. */
    public byte[] purposeKey(String purpose, int length) {
        return Hkdf.derive(master, SALT, purpose.getBytes(StandardCharsets.UTF_8), length);
    }

    private byte[] derive(KeyRole role, String machineId, int revision) {
        return Hkdf.derive(master, SALT, context(null, role, machineId, revision), KEY_LENGTH);
    }

    private long keyId(KeyRole role, String machineId, int revision) {
        byte[] base = context("key-id", role, machineId, revision);
        for (int counter = 0; ; counter++) {
            byte[] info = counter == 0 ? base : concat(base, new byte[] { (byte) counter });
            byte[] out = Hkdf.derive(master, SALT, info, 4);
            long id = ((out[0] & 0xFFL) << 24) | ((out[1] & 0xFFL) << 16) | ((out[2] & 0xFFL) << 8) | (out[3] & 0xFFL);
            if (!KeyId.isReserved(id)) {
                return id;
            }
        }
    }

    private static byte[] context(String prefix, KeyRole role, String machineId, int revision) {
        Objects.requireNonNull(machineId, "machineId");
        if (revision < 0) {
            throw new IllegalArgumentException("a revision is not negative");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (prefix != null) {
            out.writeBytes(prefix.getBytes(StandardCharsets.US_ASCII));
            out.write(0);
        }
        out.writeBytes(role.name().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
        out.write(0);
        out.writeBytes(machineId.getBytes(StandardCharsets.UTF_8));
        out.write(0);
        out.writeBytes(new byte[] { (byte) (revision >>> 24), (byte) (revision >>> 16), (byte) (revision >>> 8),
            (byte) revision });
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Override
    public String toString() {
        return "DomainKeyDerivation[master redacted]";
    }
}
