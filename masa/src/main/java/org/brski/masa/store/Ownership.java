package org.brski.masa.store;

import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * Who may receive vouchers for a device: the MASA's default policy, any registrar ({@code open}, vouchers assert
 * {@code logged}), or the one domain whose CA key identifier is registered ({@code bound}, vouchers assert
 * {@code verified}; RFC 8995 sections 5.5.4 and 5.8.3). Immutable.
 */
public final class Ownership {
    /** The ownership kinds. */
    public enum Kind { DEFAULT, OPEN, BOUND }

    private static final Ownership DEFAULT = new Ownership(Kind.DEFAULT, null);
    private static final Ownership OPEN = new Ownership(Kind.OPEN, null);

    private final Kind kind;
    private final byte[] ownerKeyId;

    private Ownership(Kind kind, byte[] ownerKeyId) {
        this.kind = kind;
        this.ownerKeyId = ownerKeyId;
    }

    /** Follow the MASA's configured default. */
    public static Ownership byDefault() {
        return DEFAULT;
    }

    /** Any authenticated registrar may claim the device. */
    public static Ownership open() {
        return OPEN;
    }

    /**
     * Only the domain whose certificate chain holds a certificate of this key: {@code ownerKeyId} is the RFC 5280
     * method 1 key identifier (SHA-1 of the subjectPublicKey bits, {@code DeviceCertificates.spkiKeyIdentifier}) of
     * the owner's CA; subjectKeyIdentifier extensions are not compared, since any issuer can copy them.
     */
    public static Ownership boundTo(byte[] ownerKeyId) {
        Objects.requireNonNull(ownerKeyId, "ownerKeyId");
        if (ownerKeyId.length == 0 || ownerKeyId.length > 64) {
            throw new IllegalArgumentException("an owner key identifier has 1 to 64 bytes");
        }
        return new Ownership(Kind.BOUND, ownerKeyId.clone());
    }

    public Kind kind() {
        return kind;
    }

    /** The owner's key identifier, for {@link Kind#BOUND}. */
    public Optional<byte[]> ownerKeyId() {
        return Optional.ofNullable(ownerKeyId).map(byte[]::clone);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ownership other && kind == other.kind
                && java.util.Arrays.equals(ownerKeyId, other.ownerKeyId);
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + java.util.Arrays.hashCode(ownerKeyId);
    }

    @Override
    public String toString() {
        return kind == Kind.BOUND ? "bound:" + Base64.getEncoder().encodeToString(ownerKeyId)
                : kind.name().toLowerCase(java.util.Locale.ROOT);
    }
}
