package org.brski.fieldbus.node;

import org.brski.fieldbus.crypto.Aead;

/**
 * The session parameters both peers must agree on: the AES-GCM tag length (EmSA WP-104 5: 32 to 64 bits acceptable,
 * 128 for a wider per-key budget) and whether the node id is bound into the session-key label (WP-104 4.2 per-server
 * separation). The node's {@link NodeConfig} and the client's {@link SecureChannel} take the same profile.
 *
 * @param tagBits        32, 48, 64 or 128
 * @param perNodeContext whether {@code info} carries the node id, giving each node its own session key
 */
public record SessionProfile(int tagBits, boolean perNodeContext) {
    /** Default tag length: 64 bits, the upper end of WP-104 5's truncated range. */
    public static final int DEFAULT_TAG_BITS = 64;

    /** @throws IllegalArgumentException for a tag length other than 32, 48, 64 or 128 bits */
    public SessionProfile {
        Aead.checkTagBits(tagBits);
    }

    /** 64-bit tags, per-node separation on (DESIGN.md "Session keys"). */
    public static SessionProfile defaults() {
        return new SessionProfile(DEFAULT_TAG_BITS, true);
    }

    /** A profile with the given tag length and per-node separation. */
    public static SessionProfile of(int tagBits, boolean perNodeContext) {
        return new SessionProfile(tagBits, perNodeContext);
    }

    /** Tag length in bytes. */
    public int tagLength() {
        return tagBits / 8;
    }
}
