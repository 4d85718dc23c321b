package org.brski.interop;

import java.util.Locale;

/**
 * The client-side dialect the suite speaks.
 *
 * <ul>
 *   <li>{@link #DEFAULT}: RFC 8995 as written: binary DER voucher-requests (section 6) under the
 *       {@code ietf-voucher-request:voucher} root (section 3), vouchers must carry {@code created-on} (RFC 8366).</li>
 *   <li>{@link #NQMINDS_COMPAT}: the nqminds brski dialect: base64 voucher-request bodies, {@code ietf-voucher:voucher}
 *       as the request root, an empty probe POST before the real one, and vouchers without {@code created-on}
 *       tolerated.</li>
 * </ul>
 */
public enum Profile {
    DEFAULT("default"),
    NQMINDS_COMPAT("nqminds-compat");

    private final String cliName;

    Profile(String cliName) {
        this.cliName = cliName;
    }

    /** The name used on the command line and in reports. */
    public String cliName() {
        return cliName;
    }

    /**
     * The profile named {@code name} ({@code default}, {@code nqminds-compat}; case-insensitive).
     *
     * @throws IllegalArgumentException for any other name
     */
    public static Profile parse(String name) {
        for (Profile p : values()) {
            if (p.cliName.equalsIgnoreCase(name.trim()) || p.name().equalsIgnoreCase(name.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown profile '" + name + "' (expected default or nqminds-compat)");
    }

    /** Whether voucher-request bodies are sent as base64 text rather than binary DER. */
    public boolean base64Bodies() {
        return this == NQMINDS_COMPAT;
    }

    /** The JSON root member of voucher-requests this profile sends. */
    public String requestRoot() {
        return this == NQMINDS_COMPAT ? "ietf-voucher:voucher" : "ietf-voucher-request:voucher";
    }

    /** Whether an empty probe POST precedes each voucher-request. */
    public boolean probeFirst() {
        return this == NQMINDS_COMPAT;
    }

    /** Whether a voucher must carry {@code created-on} (RFC 8366 makes it mandatory). */
    public boolean requireCreatedOn() {
        return this == DEFAULT;
    }

    @Override
    public String toString() {
        return cliName.toLowerCase(Locale.ROOT);
    }
}
