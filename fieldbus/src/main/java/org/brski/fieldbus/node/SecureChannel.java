package org.brski.fieldbus.node;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

import org.brski.fieldbus.FieldbusException;
import org.brski.fieldbus.KeyRole;
import org.brski.fieldbus.crypto.Aead;
import org.brski.fieldbus.crypto.KeyStrength;

/**
 * The client side of a WP-104 session with one node (commissioning tool, machine controller): derives the session key
 * from a base key and the salt the client wrote (EmSA WP-104 4.2, Figure 3), seals authenticated writes with its own
 * counter starting at 1, and verifies the node's replies (role, direction, strictly increasing node counter, tag).
 * The session key stays inside; neither it nor the base key is ever put on the wire (WP-104 4).
 *
 * <p>Nonce uniqueness rests on the counters, which restart with each channel, and on the node's session generation
 * (0x5F05:6), which the client reads after its salt write and which changes at every reset of the node: a salt that
 * recurs across power cycles (WP-104 4.4 allows it, and an attacker can write an old one after an NMT reset) still
 * gives a new session key, so restarted counters never repeat a nonce under one key. Clients still write a fresh
 * random salt ({@link #freshSalt}) per power cycle (WP-104 Figure 3). An attacker who resets the node between the
 * client's generation read and its messages only makes them fail the tag (denial of service, WP-104 4.4). Thread-safe.
 */
public final class SecureChannel {
    private final KeyRole role;
    private final int nodeId;
    private final SessionProfile profile;
    private final long generation;
    private final Aead aead;
    private long nextCounter = 1;
    private long lastNodeCounter;

    private SecureChannel(KeyRole role, int nodeId, SessionProfile profile, long generation, Aead aead) {
        this.role = role;
        this.nodeId = nodeId;
        this.profile = profile;
        this.generation = generation;
        this.aead = aead;
    }

    /**
     * Opens a session under {@code role}'s base key.
     *
     * @param salt       the 16 bytes the client wrote to the node's salt slot (0x5F03); zero only for
     *                   {@link KeyRole#MARKER}
     * @param generation the node's session generation (0x5F05:6), read after the salt write, in the power cycle this
     *                   session uses
     * @throws IllegalArgumentException when {@link SessionKeys#derive} refuses the inputs
     */
    public static SecureChannel open(KeyRole role, byte[] baseKey, byte[] salt, long generation, int nodeId,
            SessionProfile profile) {
        byte[] sk = SessionKeys.derive(role, baseKey, salt, generation, nodeId, profile);
        try {
            return new SecureChannel(role, nodeId, profile, generation, Aead.of(sk, profile.tagBits()));
        } finally {
            Arrays.fill(sk, (byte) 0);
        }
    }

    /**
     * The commissioning-marker session that carries the Provisioning Key install to an uncommissioned node (3.1), in
     * the node's current session generation (0x5F05:6, readable while uncommissioned).
     */
    public static SecureChannel forMarker(long generation, int nodeId, SessionProfile profile) {
        return open(KeyRole.MARKER, marker(), new byte[SessionKeys.SALT_LENGTH], generation, nodeId, profile);
    }

    /** The factory commissioning marker: 16 zero bytes, a well-known non-secret value (WP-104 3.1). */
    public static byte[] marker() {
        return new byte[SessionKeys.MARKER_LENGTH];
    }

    /** A fresh random salt for one power cycle of a node (WP-104 4.2, Figure 3 "generate fresh random salt"). */
    public static byte[] freshSalt(SecureRandom random) {
        byte[] salt = new byte[SessionKeys.SALT_LENGTH];
        do {
            random.nextBytes(salt);
        } while (KeyStrength.isAllZero(salt));
        return salt;
    }

    /**
     * Seals {@code plaintext} as an authenticated write (client→node) to {@code index:subIndex}, with the next counter.
     *
     * @throws IllegalStateException when the counter is exhausted (open a new session after a node reset)
     */
    public synchronized byte[] seal(int index, int subIndex, byte[] plaintext) {
        if (nextCounter > SecureMessage.MAX_COUNTER) {
            throw new IllegalStateException("message counter exhausted; reset the node and write a new salt");
        }
        SecureMessage m = SecureMessage.seal(aead, nodeId, Direction.CLIENT_TO_NODE, role, nextCounter, index, subIndex,
                plaintext);
        nextCounter++;
        return m.encoded();
    }

    /**
     * Verifies and decrypts a node→client message read from {@code index:subIndex}.
     *
     * @throws FieldbusException {@code malformed-message}, {@code wrong-role} (another role's session),
     *                           {@code replayed-counter} (node counter not above the last accepted one) or
     *                           {@code bad-tag} (wrong key, entry, node, direction, or tampering)
     */
    public synchronized byte[] openReply(int index, int subIndex, byte[] message) throws FieldbusException {
        SecureMessage m = SecureMessage.parse(message, profile.tagBits());
        if (m.role() != role) {
            throw new FieldbusException("wrong-role", "reply is under " + m.role() + ", the session is " + role);
        }
        if (m.counter() <= lastNodeCounter) {
            throw new FieldbusException("replayed-counter", "node counter " + m.counter() + " not above " + lastNodeCounter);
        }
        byte[] plaintext = m.open(aead, nodeId, Direction.NODE_TO_CLIENT, index, subIndex);
        lastNodeCounter = m.counter();
        return plaintext;
    }

    /**
     * Moves the counter forward, never back, so that a client taking over a role's session from another client in the
     * same power cycle starts above every counter the node has accepted (the node keeps one counter per role).
     *
     * @throws IllegalArgumentException when {@code next} is below the current next counter or above 0xFFFFFFFF
     */
    public synchronized void advanceTo(long next) {
        if (next < nextCounter || next > SecureMessage.MAX_COUNTER) {
            throw new IllegalArgumentException("the counter only moves forward, within UNSIGNED32");
        }
        nextCounter = next;
    }

    /** The session-check request (0x5F06 write): a sealed 8-byte challenge. */
    public byte[] sessionCheckRequest(byte[] challenge) {
        if (challenge.length != NodeObjects.CHALLENGE_LENGTH) {
            throw new IllegalArgumentException("challenge must be " + NodeObjects.CHALLENGE_LENGTH + " bytes");
        }
        return seal(NodeObjects.SESSION_CHECK, 0, challenge);
    }

    /**
     * Verifies the session-check response (0x5F06 read): it must echo {@code challenge}, proving the node derived the
     * same session key.
     *
     * @return the Key ID the node reports for this role
     * @throws FieldbusException as {@link #openReply}, or {@code session-check-mismatch}
     */
    public long verifySessionCheck(byte[] challenge, byte[] response) throws FieldbusException {
        byte[] plaintext = openReply(NodeObjects.SESSION_CHECK, 0, response);
        if (plaintext.length != NodeObjects.CHALLENGE_LENGTH + 4
                || !MessageDigest.isEqual(Arrays.copyOf(plaintext, NodeObjects.CHALLENGE_LENGTH), challenge)) {
            throw new FieldbusException("session-check-mismatch", "the node did not echo the challenge");
        }
        return Integer.toUnsignedLong(ByteBuffer.wrap(plaintext, NodeObjects.CHALLENGE_LENGTH, 4).getInt());
    }

    public KeyRole role() {
        return role;
    }

    public int nodeId() {
        return nodeId;
    }

    public SessionProfile profile() {
        return profile;
    }

    /** The node's session generation this session was derived for. */
    public long generation() {
        return generation;
    }

    /** The counter the next {@link #seal} uses. */
    public synchronized long nextCounter() {
        return nextCounter;
    }

    /** Zeroes the session key. */
    public void destroy() {
        aead.destroy();
    }

    @Override
    public String toString() {
        return "SecureChannel[" + role + ", node " + nodeId + ", generation " + generation + ", " + profile
                + ", session key redacted]";
    }
}
