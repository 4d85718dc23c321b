package org.brski.voucher;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An RFC 8366 voucher ({@code ietf-voucher:voucher}): the MASA's signed statement that a pledge, identified by its
 * serial number, may trust the domain certificate it pins. Immutable; binary leaves are defensively copied.
 *
 * <p>Freshness comes from either {@code nonce} (online vouchers) or {@code expires-on} (nonceless vouchers), never
 * both; {@code last-renewal-date} only makes sense with {@code expires-on} (RFC 8366 section 5.3). Only
 * {@link VoucherJson#lenient()} reads a voucher with both (nqminds brski's MASA writes them); whoever accepts such a
 * voucher decides that per peer.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8366#section-5.3">RFC 8366 section 5.3</a>
 */
public final class Voucher {
    /** The JSON root member name (RFC 7951 module-qualified). */
    public static final String ROOT = "ietf-voucher:voucher";

    private final OffsetDateTime createdOn;
    private final OffsetDateTime expiresOn;
    private final Assertion assertion;
    private final String serialNumber;
    private final byte[] idevidIssuer;
    private final byte[] pinnedDomainCert;
    private final Boolean domainCertRevocationChecks;
    private final String nonce;
    private final OffsetDateTime lastRenewalDate;
    private final Map<String, String> unknownLeaves;

    private Voucher(Builder b) {
        this.createdOn = b.createdOn;
        this.expiresOn = b.expiresOn;
        this.assertion = require(b.assertion, "assertion");
        this.serialNumber = requireText(b.serialNumber, "serial-number");
        this.idevidIssuer = copy(b.idevidIssuer);
        this.pinnedDomainCert = copy(require(b.pinnedDomainCert, "pinned-domain-cert"));
        this.domainCertRevocationChecks = b.domainCertRevocationChecks;
        this.nonce = b.nonce;
        this.lastRenewalDate = b.lastRenewalDate;
        this.unknownLeaves = Map.copyOf(b.unknownLeaves);
        if (nonce != null && expiresOn != null && !b.nonceWithExpiry) {
            throw new IllegalArgumentException("a voucher carries nonce or expires-on, not both (RFC 8366 5.3)");
        }
        if (lastRenewalDate != null && expiresOn == null) {
            throw new IllegalArgumentException("last-renewal-date requires expires-on (RFC 8366 5.3)");
        }
    }

    /** A builder for a new voucher. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder initialised with this voucher's leaves. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.createdOn = createdOn;
        b.expiresOn = expiresOn;
        b.assertion = assertion;
        b.serialNumber = serialNumber;
        b.idevidIssuer = idevidIssuer;
        b.pinnedDomainCert = pinnedDomainCert;
        b.domainCertRevocationChecks = domainCertRevocationChecks;
        b.nonce = nonce;
        b.lastRenewalDate = lastRenewalDate;
        b.unknownLeaves.putAll(unknownLeaves);
        b.nonceWithExpiry = nonce != null && expiresOn != null;
        return b;
    }

    /** When the voucher was created; mandatory in RFC 8366 but absent from some peers' vouchers (lenient mode). */
    public Optional<OffsetDateTime> createdOn() {
        return Optional.ofNullable(createdOn);
    }

    /** When a nonceless voucher stops being valid. */
    public Optional<OffsetDateTime> expiresOn() {
        return Optional.ofNullable(expiresOn);
    }

    public Assertion assertion() {
        return assertion;
    }

    /** The pledge's serial number, as in its IDevID subject serialNumber (RFC 8995 section 2.3.1). */
    public String serialNumber() {
        return serialNumber;
    }

    /** Key identifier of the IDevID issuer, scoping the serial number. */
    public Optional<byte[]> idevidIssuer() {
        return Optional.ofNullable(copy(idevidIssuer));
    }

    /** DER of the certificate the pledge must trust for the domain (a CA or the registrar's own certificate). */
    public byte[] pinnedDomainCert() {
        return copy(pinnedDomainCert);
    }

    public Optional<Boolean> domainCertRevocationChecks() {
        return Optional.ofNullable(domainCertRevocationChecks);
    }

    /** The nonce exactly as received, never re-encoded; compare it with {@link Nonce#matches}. */
    public Optional<String> nonce() {
        return Optional.ofNullable(nonce);
    }

    public Optional<OffsetDateTime> lastRenewalDate() {
        return Optional.ofNullable(lastRenewalDate);
    }

    /** Leaves this library does not know, as raw JSON, kept only in lenient mode. */
    public Map<String, String> unknownLeaves() {
        return unknownLeaves;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Voucher v
                && Objects.equals(createdOn, v.createdOn)
                && Objects.equals(expiresOn, v.expiresOn)
                && assertion == v.assertion
                && serialNumber.equals(v.serialNumber)
                && Arrays.equals(idevidIssuer, v.idevidIssuer)
                && Arrays.equals(pinnedDomainCert, v.pinnedDomainCert)
                && Objects.equals(domainCertRevocationChecks, v.domainCertRevocationChecks)
                && Objects.equals(nonce, v.nonce)
                && Objects.equals(lastRenewalDate, v.lastRenewalDate)
                && unknownLeaves.equals(v.unknownLeaves);
    }

    @Override
    public int hashCode() {
        return Objects.hash(serialNumber, nonce, assertion, createdOn, Arrays.hashCode(pinnedDomainCert));
    }

    @Override
    public String toString() {
        return "Voucher{serial-number=" + serialNumber + ", assertion=" + assertion + ", created-on=" + createdOn
                + (nonce != null ? ", nonce=" + nonce : "") + (expiresOn != null ? ", expires-on=" + expiresOn : "")
                + "}";
    }

    static byte[] copy(byte[] value) {
        return value == null ? null : value.clone();
    }

    static <T> T require(T value, String leaf) {
        if (value == null) {
            throw new IllegalArgumentException(leaf + " is mandatory");
        }
        return value;
    }

    static String requireText(String value, String leaf) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(leaf + " is mandatory and must not be empty");
        }
        return value;
    }

    /** Collects the leaves of a {@link Voucher}; {@link #build()} checks the RFC 8366 constraints. */
    public static final class Builder implements CommonLeaves<Builder> {
        private OffsetDateTime createdOn;
        private OffsetDateTime expiresOn;
        private Assertion assertion;
        private String serialNumber;
        private byte[] idevidIssuer;
        private byte[] pinnedDomainCert;
        private Boolean domainCertRevocationChecks;
        private String nonce;
        private OffsetDateTime lastRenewalDate;
        private final Map<String, String> unknownLeaves = new LinkedHashMap<>();
        private boolean nonceWithExpiry;

        private Builder() {
        }

        /** Lets the lenient parser read a voucher carrying both nonce and expires-on. */
        Builder allowNonceWithExpiry() {
            this.nonceWithExpiry = true;
            return this;
        }

        @Override
        public Builder createdOn(OffsetDateTime value) {
            this.createdOn = value;
            return this;
        }

        @Override
        public Builder expiresOn(OffsetDateTime value) {
            this.expiresOn = value;
            return this;
        }

        @Override
        public Builder assertion(Assertion value) {
            this.assertion = value;
            return this;
        }

        @Override
        public Builder serialNumber(String value) {
            this.serialNumber = value;
            return this;
        }

        @Override
        public Builder idevidIssuer(byte[] value) {
            this.idevidIssuer = copy(value);
            return this;
        }

        public Builder pinnedDomainCert(byte[] der) {
            this.pinnedDomainCert = copy(der);
            return this;
        }

        public Builder domainCertRevocationChecks(Boolean value) {
            this.domainCertRevocationChecks = value;
            return this;
        }

        @Override
        public Builder nonce(String value) {
            this.nonce = value;
            return this;
        }

        public Builder lastRenewalDate(OffsetDateTime value) {
            this.lastRenewalDate = value;
            return this;
        }

        /** Keeps a leaf this library does not model, as raw JSON text (lenient parsing). */
        @Override
        public Builder unknownLeaf(String name, String rawJson) {
            this.unknownLeaves.put(Objects.requireNonNull(name), Objects.requireNonNull(rawJson));
            return this;
        }

        /**
         * The voucher.
         *
         * @throws IllegalArgumentException when a mandatory leaf is missing or the leaves contradict RFC 8366
         */
        public Voucher build() {
            return new Voucher(this);
        }
    }
}
