package org.brski.interop;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

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
 *
 * <p>Known peer deviations: a profile names the cases its peer is documented not to meet, by case id, with what the
 * peer does instead. Such a case, when not met, is reported as {@link Verdict#KNOWN_DEVIATION} apart from failures and
 * does not fail the run; when met it passes (with a note that the list may be out of date). Add one as
 * {@code Map.entry("case-id", "what the peer does instead")} to the profile's list.
 */
public enum Profile {
    DEFAULT("default", Map.ofEntries()),
    NQMINDS_COMPAT("nqminds-compat", Map.ofEntries(
            // Known deviations of nqminds brski: Map.entry("case-id", "what the peer does instead"), one per line.
            // Documented in its sources and in the captures (../shared/vectors/nqminds-brski): no /cacerts, no
            // PKCS#10 /simpleenroll (it enrolls a self-signed certificate), no media-type and no manufacturer checks.
            Map.entry("est-cacerts", "no /cacerts endpoint"),
            Map.entry("est-cacerts-base64", "no /cacerts endpoint"),
            Map.entry("est-cacerts-accept-any", "no /cacerts endpoint"),
            Map.entry("est-simpleenroll", "no PKCS#10 /simpleenroll: it takes a self-signed certificate in base64"),
            Map.entry("est-simpleenroll-no-cte", "no PKCS#10 /simpleenroll: it takes a self-signed certificate"),
            Map.entry("est-simpleenroll-line-breaks", "no PKCS#10 /simpleenroll: it takes a self-signed certificate"),
            Map.entry("est-simplereenroll-ldevid", "no PKCS#10 /simplereenroll"),
            Map.entry("est-simpleenroll-wrong-content-type", "no media-type check (it labels bodies freely)"),
            Map.entry("pvr-content-type-wrong", "no media-type check on /requestvoucher"),
            Map.entry("pvr-content-type-wrong-415", "no media-type check on /requestvoucher"),
            Map.entry("pvr-content-type-absent", "no media-type check on /requestvoucher"),
            Map.entry("pvr-accept-unsupported", "no media-type check on Accept"),
            Map.entry("pvr-unknown-manufacturer", "no manufacturer check: any IDevID is forwarded to the MASA"),
            Map.entry("pvr-unknown-manufacturer-404", "no manufacturer check: any IDevID is forwarded to the MASA"),
            Map.entry("pvr-created-on-fraction", "cannot parse fractional seconds in created-on (400)")));

    private final String cliName;
    private final Map<String, String> knownDeviations;

    Profile(String cliName, Map<String, String> knownDeviations) {
        this.cliName = cliName;
        this.knownDeviations = knownDeviations;
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

    /** The cases this profile's peer is documented not to meet, by case id, with what it does instead. */
    public Map<String, String> knownDeviations() {
        return knownDeviations;
    }

    /** What the peer does instead, when case {@code caseId} is a known deviation of this profile. */
    public Optional<String> knownDeviation(String caseId) {
        return Optional.ofNullable(knownDeviations.get(caseId));
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
