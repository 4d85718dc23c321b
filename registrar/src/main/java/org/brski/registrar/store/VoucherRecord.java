package org.brski.registrar.store;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A voucher this registrar obtained for a device, with the requests that led to it (RFC 8995 sections 5.2-5.6).
 * Binary fields are copied in and out.
 */
public final class VoucherRecord {
    private final String serial;
    private final Instant createdAt;
    private final String nonce;
    private final URI masaUrl;
    private final byte[] pvr;
    private final byte[] rvr;
    private final byte[] voucher;

    private VoucherRecord(String serial, Instant createdAt, String nonce, URI masaUrl, byte[] pvr, byte[] rvr,
            byte[] voucher) {
        this.serial = Objects.requireNonNull(serial, "serial");
        this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
        this.nonce = nonce;
        this.masaUrl = Objects.requireNonNull(masaUrl, "masaUrl");
        this.pvr = pvr.clone();
        this.rvr = rvr.clone();
        this.voucher = voucher.clone();
    }

    /** A record of one voucher. */
    public static VoucherRecord of(String serial, Instant createdAt, Optional<String> nonce, URI masaUrl, byte[] pvr,
            byte[] rvr, byte[] voucher) {
        return new VoucherRecord(serial, createdAt, nonce.orElse(null), masaUrl, pvr, rvr, voucher);
    }

    public String serial() {
        return serial;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Optional<String> nonce() {
        return Optional.ofNullable(nonce);
    }

    public URI masaUrl() {
        return masaUrl;
    }

    /** The pledge voucher-request (DER CMS) as received. */
    public byte[] pvr() {
        return pvr.clone();
    }

    /** The registrar voucher-request (DER CMS) sent to the MASA. */
    public byte[] rvr() {
        return rvr.clone();
    }

    /** The voucher (DER CMS) exactly as the MASA sent it. */
    public byte[] voucher() {
        return voucher.clone();
    }
}
