package org.brski.fieldbus.node;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

import org.brski.fieldbus.FieldbusException;
import org.brski.fieldbus.KeyRole;
import org.brski.fieldbus.crypto.Aead;

/**
 * The authenticated object-dictionary value of DESIGN.md "Secure messages", the downstream protocol that consumes the
 * WP-104 session key (EmSA WP-104 4.3: it supplies its own nonce construction, counter and replay handling):
 * <pre>
 * SecureMessage = role (1) || counter (4, BE, &gt;= 1) || ciphertext (n) || tag (tagBits/8)
 * nonce (12)    = node id (1) || direction (1) || role (1) || 0x00 || 0x00000000 (4) || counter (4)
 * AAD           = index (2, BE) || sub-index (1) || role (1) || counter (4) || node id (1) || direction (1)
 * </pre>
 * The AAD binds a message to the entry it is written to and to its direction, so an install payload replayed into
 * another slot, or a node reply echoed back to it, fails verification. Plaintexts are bounded by
 * {@link #MAX_PLAINTEXT}. Immutable.
 */
public final class SecureMessage {
    /** Role and counter. */
    public static final int HEADER_LENGTH = 5;
    /** Largest plaintext (and ciphertext) a message may carry; larger input is refused as malformed. */
    public static final int MAX_PLAINTEXT = 256;
    /** Largest counter (UNSIGNED32); a channel that reached it must be re-keyed (new salt). */
    public static final long MAX_COUNTER = 0xFFFFFFFFL;

    private final KeyRole role;
    private final long counter;
    private final byte[] ciphertext;
    private final byte[] tag;

    private SecureMessage(KeyRole role, long counter, byte[] ciphertext, byte[] tag) {
        this.role = role;
        this.counter = counter;
        this.ciphertext = ciphertext;
        this.tag = tag;
    }

    /**
     * A message from its parts (copied).
     *
     * @throws IllegalArgumentException for a counter outside 1..0xFFFFFFFF, an oversized ciphertext or a tag length
     *                                  other than 4, 6, 8 or 16 bytes
     */
    public static SecureMessage of(KeyRole role, long counter, byte[] ciphertext, byte[] tag) {
        Objects.requireNonNull(role, "role");
        checkCounter(counter);
        if (ciphertext.length > MAX_PLAINTEXT) {
            throw new IllegalArgumentException("ciphertext longer than " + MAX_PLAINTEXT + " bytes");
        }
        Aead.checkTagBits(tag.length * 8);
        return new SecureMessage(role, counter, ciphertext.clone(), tag.clone());
    }

    /**
     * Parses a received value.
     *
     * @param tagBits the tag length both peers are configured with
     * @throws FieldbusException {@code malformed-message} when too short, too long, with counter 0 or an unknown role
     */
    public static SecureMessage parse(byte[] wire, int tagBits) throws FieldbusException {
        Objects.requireNonNull(wire, "wire");
        int tagLength = Aead.checkTagBits(tagBits) / 8;
        int ctLength = wire.length - HEADER_LENGTH - tagLength;
        if (ctLength < 0 || ctLength > MAX_PLAINTEXT) {
            throw new FieldbusException("malformed-message", "secure message of " + wire.length
                    + " bytes is outside " + (HEADER_LENGTH + tagLength) + ".." + (HEADER_LENGTH + tagLength + MAX_PLAINTEXT));
        }
        ByteBuffer in = ByteBuffer.wrap(wire);
        int roleCode = Byte.toUnsignedInt(in.get());
        KeyRole role = KeyRole.ofCode(roleCode)
                .orElseThrow(() -> new FieldbusException("malformed-message", "unknown key role " + roleCode));
        long counter = Integer.toUnsignedLong(in.getInt());
        if (counter == 0) {
            throw new FieldbusException("malformed-message", "message counter 0 is never sent");
        }
        byte[] ct = new byte[ctLength];
        in.get(ct);
        byte[] tag = new byte[tagLength];
        in.get(tag);
        return new SecureMessage(role, counter, ct, tag);
    }

    /**
     * Encrypts and authenticates {@code plaintext} for {@code index:subIndex}.
     *
     * @param aead AES-GCM under the session key of {@code role}
     */
    public static SecureMessage seal(Aead aead, int nodeId, Direction direction, KeyRole role, long counter, int index,
            int subIndex, byte[] plaintext) {
        Objects.requireNonNull(plaintext, "plaintext");
        if (plaintext.length > MAX_PLAINTEXT) {
            throw new IllegalArgumentException("plaintext longer than " + MAX_PLAINTEXT + " bytes");
        }
        checkCounter(counter);
        byte[] sealed = aead.seal(nonce(nodeId, direction, role, counter),
                aad(index, subIndex, role, counter, nodeId, direction), plaintext);
        int ctLength = sealed.length - aead.tagLength();
        byte[] ct = Arrays.copyOfRange(sealed, 0, ctLength);
        byte[] tag = Arrays.copyOfRange(sealed, ctLength, sealed.length);
        return new SecureMessage(role, counter, ct, tag);
    }

    /**
     * Verifies this message as sent in {@code direction} to {@code index:subIndex} of node {@code nodeId} and decrypts.
     *
     * @throws FieldbusException {@code bad-tag} when it does not verify (wrong key, entry, direction, node or tampering)
     */
    public byte[] open(Aead aead, int nodeId, Direction direction, int index, int subIndex) throws FieldbusException {
        if (aead.tagLength() != tag.length) {
            throw new FieldbusException("bad-tag", "tag length differs from the configured one");
        }
        byte[] sealed = new byte[ciphertext.length + tag.length];
        System.arraycopy(ciphertext, 0, sealed, 0, ciphertext.length);
        System.arraycopy(tag, 0, sealed, ciphertext.length, tag.length);
        return aead.open(nonce(nodeId, direction, role, counter), aad(index, subIndex, role, counter, nodeId, direction),
                sealed);
    }

    /** The 12-byte GCM nonce; unique per session key as long as the counter of a role and direction increases. */
    public static byte[] nonce(int nodeId, Direction direction, KeyRole role, long counter) {
        checkCounter(counter);
        return ByteBuffer.allocate(Aead.NONCE_LENGTH)
                .put((byte) NodeConfig.checkNodeId(nodeId))
                .put((byte) direction.code())
                .put((byte) role.code())
                .put((byte) 0)
                .putInt(0)
                .putInt((int) counter)
                .array();
    }

    /** The 10-byte associated data binding entry, role, counter, node and direction. */
    public static byte[] aad(int index, int subIndex, KeyRole role, long counter, int nodeId, Direction direction) {
        if (index < 0 || index > 0xFFFF || subIndex < 0 || subIndex > 0xFF) {
            throw new IllegalArgumentException("index is 16 bits, sub-index 8 bits");
        }
        checkCounter(counter);
        return ByteBuffer.allocate(10)
                .putShort((short) index)
                .put((byte) subIndex)
                .put((byte) role.code())
                .putInt((int) counter)
                .put((byte) NodeConfig.checkNodeId(nodeId))
                .put((byte) direction.code())
                .array();
    }

    /** The wire form. */
    public byte[] encoded() {
        return ByteBuffer.allocate(HEADER_LENGTH + ciphertext.length + tag.length)
                .put((byte) role.code())
                .putInt((int) counter)
                .put(ciphertext)
                .put(tag)
                .array();
    }

    public KeyRole role() {
        return role;
    }

    /** The sender's counter, 1..0xFFFFFFFF. */
    public long counter() {
        return counter;
    }

    /** A copy of the ciphertext. */
    public byte[] ciphertext() {
        return ciphertext.clone();
    }

    /** A copy of the tag. */
    public byte[] tag() {
        return tag.clone();
    }

    private static void checkCounter(long counter) {
        if (counter < 1 || counter > MAX_COUNTER) {
            throw new IllegalArgumentException("message counter must be 1..0xFFFFFFFF");
        }
    }

    @Override
    public String toString() {
        return "SecureMessage[" + role + ", counter " + counter + ", " + ciphertext.length + " bytes, tag "
                + tag.length * 8 + " bits]";
    }
}
