package org.brski.voucher;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An RFC 8995 voucher-request ({@code ietf-voucher-request:voucher}, section 3): sent by a pledge to its
 * registrar (a pledge voucher-request, carrying {@code proximity-registrar-cert}) or by a registrar to the MASA (a
 * registrar voucher-request, carrying {@code prior-signed-voucher-request} and {@code idevid-issuer}).
 *
 * <p>{@code pinned-domain-cert}, {@code last-renewal-date} and {@code domain-cert-revocation-checks} are not valid
 * in a voucher-request and "any occurrence MUST be ignored" (RFC 8995 section 3.4), so this type has no such leaves.
 * Immutable; binary leaves are defensively copied.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8995#section-3">RFC 8995 section 3</a>
 */
public final class VoucherRequest {
    /** The JSON root member name (RFC 7951 module-qualified). */
    public static final String ROOT = "ietf-voucher-request:voucher";

    private final OffsetDateTime createdOn;
    private final OffsetDateTime expiresOn;
    private final Assertion assertion;
    private final String serialNumber;
    private final byte[] idevidIssuer;
    private final String nonce;
    private final byte[] priorSignedVoucherRequest;
    private final byte[] proximityRegistrarCert;
    private final Map<String, String> unknownLeaves;

    private VoucherRequest(Builder b) {
        this.createdOn = b.createdOn;
        this.expiresOn = b.expiresOn;
        this.assertion = b.assertion;
        this.serialNumber = Voucher.requireText(b.serialNumber, "serial-number");
        this.idevidIssuer = Voucher.copy(b.idevidIssuer);
        this.nonce = b.nonce;
        this.priorSignedVoucherRequest = Voucher.copy(b.priorSignedVoucherRequest);
        this.proximityRegistrarCert = Voucher.copy(b.proximityRegistrarCert);
        this.unknownLeaves = Map.copyOf(b.unknownLeaves);
    }

    /** A builder for a new voucher-request. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder initialised with this request's leaves. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.createdOn = createdOn;
        b.expiresOn = expiresOn;
        b.assertion = assertion;
        b.serialNumber = serialNumber;
        b.idevidIssuer = idevidIssuer;
        b.nonce = nonce;
        b.priorSignedVoucherRequest = priorSignedVoucherRequest;
        b.proximityRegistrarCert = proximityRegistrarCert;
        b.unknownLeaves.putAll(unknownLeaves);
        return b;
    }

    /** When the request was created: the MASA and registrar judge freshness by it. */
    public Optional<OffsetDateTime> createdOn() {
        return Optional.ofNullable(createdOn);
    }

    public Optional<OffsetDateTime> expiresOn() {
        return Optional.ofNullable(expiresOn);
    }

    /** The assertion the requester wishes for ({@code proximity} from a pledge in BRSKI). */
    public Optional<Assertion> assertion() {
        return Optional.ofNullable(assertion);
    }

    public String serialNumber() {
        return serialNumber;
    }

    /** Key identifier of the pledge's IDevID issuer (RFC 8995 section 5.5). */
    public Optional<byte[]> idevidIssuer() {
        return Optional.ofNullable(Voucher.copy(idevidIssuer));
    }

    /** The nonce exactly as received, never re-encoded; compare it with {@link Nonce#matches} (RFC 8995 5.8.1). */
    public Optional<String> nonce() {
        return Optional.ofNullable(nonce);
    }

    /** DER CMS of the pledge's voucher-request, in a registrar voucher-request (RFC 8995 section 5.5). */
    public Optional<byte[]> priorSignedVoucherRequest() {
        return Optional.ofNullable(Voucher.copy(priorSignedVoucherRequest));
    }

    /** DER of the registrar's TLS certificate as the pledge saw it (RFC 8995 section 5.2). */
    public Optional<byte[]> proximityRegistrarCert() {
        return Optional.ofNullable(Voucher.copy(proximityRegistrarCert));
    }

    /** Leaves this library does not know, as raw JSON, kept only in lenient mode. */
    public Map<String, String> unknownLeaves() {
        return unknownLeaves;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VoucherRequest r
                && Objects.equals(createdOn, r.createdOn)
                && Objects.equals(expiresOn, r.expiresOn)
                && assertion == r.assertion
                && serialNumber.equals(r.serialNumber)
                && Arrays.equals(idevidIssuer, r.idevidIssuer)
                && Objects.equals(nonce, r.nonce)
                && Arrays.equals(priorSignedVoucherRequest, r.priorSignedVoucherRequest)
                && Arrays.equals(proximityRegistrarCert, r.proximityRegistrarCert)
                && unknownLeaves.equals(r.unknownLeaves);
    }

    @Override
    public int hashCode() {
        return Objects.hash(serialNumber, nonce, assertion, createdOn);
    }

    @Override
    public String toString() {
        return "VoucherRequest{serial-number=" + serialNumber + ", assertion=" + assertion + ", created-on="
                + createdOn + (nonce != null ? ", nonce=" + nonce : "")
                + (priorSignedVoucherRequest != null ? ", prior-signed-voucher-request" : "")
                + (proximityRegistrarCert != null ? ", proximity-registrar-cert" : "") + "}";
    }

    /** Collects the leaves of a {@link VoucherRequest}. */
    public static final class Builder implements CommonLeaves<Builder> {
        private OffsetDateTime createdOn;
        private OffsetDateTime expiresOn;
        private Assertion assertion;
        private String serialNumber;
        private byte[] idevidIssuer;
        private String nonce;
        private byte[] priorSignedVoucherRequest;
        private byte[] proximityRegistrarCert;
        private final Map<String, String> unknownLeaves = new LinkedHashMap<>();

        private Builder() {
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
            this.idevidIssuer = Voucher.copy(value);
            return this;
        }

        @Override
        public Builder nonce(String value) {
            this.nonce = value;
            return this;
        }

        public Builder priorSignedVoucherRequest(byte[] cmsDer) {
            this.priorSignedVoucherRequest = Voucher.copy(cmsDer);
            return this;
        }

        public Builder proximityRegistrarCert(byte[] certDer) {
            this.proximityRegistrarCert = Voucher.copy(certDer);
            return this;
        }

        /** Keeps a leaf this library does not model, as raw JSON text (lenient parsing). */
        @Override
        public Builder unknownLeaf(String name, String rawJson) {
            this.unknownLeaves.put(Objects.requireNonNull(name), Objects.requireNonNull(rawJson));
            return this;
        }

        /**
         * The voucher-request.
         *
         * @throws IllegalArgumentException when serial-number is missing
         */
        public VoucherRequest build() {
            return new VoucherRequest(this);
        }
    }
}
