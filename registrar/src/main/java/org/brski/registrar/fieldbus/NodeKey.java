package org.brski.registrar.fieldbus;

import java.time.Instant;
import java.util.Objects;

/**
 * A node's Provisioning Key as stored: wrapped by the {@link DomainKeyStore}, never in clear.
 *
 * @param nodeSerial the node's UNSIGNED32 serial number (CiA 301 0x1018:4)
 * @param wrappedKey the key wrapped for this machine and node
 * @param keyId      its Key ID
 * @param updatedAt  when it was stored (set by the store; ignored when writing)
 */
public record NodeKey(long nodeSerial, byte[] wrappedKey, long keyId, KeySource source, Instant updatedAt) {
    public NodeKey {
        wrappedKey = wrappedKey.clone();
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    @Override
    public byte[] wrappedKey() {
        return wrappedKey.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodeKey k && k.nodeSerial == nodeSerial && java.util.Arrays.equals(k.wrappedKey, wrappedKey)
                && k.keyId == keyId && k.source == source && k.updatedAt.equals(updatedAt);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(nodeSerial) * 31 + Long.hashCode(keyId);
    }

    @Override
    public String toString() {
        return "NodeKey[node " + nodeSerial + ", keyId " + FieldbusFormat.keyId(keyId) + ", " + source.token()
                + ", wrapped key hidden]";
    }
}
