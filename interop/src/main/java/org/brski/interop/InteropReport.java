package org.brski.interop;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The results of one run with what identifies it. Immutable.
 *
 * @param registrar the registrar tested
 * @param masa      the MASA tested directly, if any
 * @param profile   the client dialect
 * @param pki       where the PKI came from
 * @param started   when the run started
 * @param elapsed   how long it took
 * @param results   one per case, in catalogue order
 * @param stopped   why the run stopped early (e.g. the peer looks like a pre-RFC BRSKI draft), if it did
 */
public record InteropReport(String registrar, Optional<String> masa, Profile profile, String pki, Instant started,
        Duration elapsed, List<CaseResult> results, Optional<String> stopped) {
    /**
     * What the peers must be set up to do for the required positive cases to pass; printed by {@code --help} and in
     * the report header.
     */
    public static final List<String> PRECONDITIONS = List.of(
            "The registrar trusts the manufacturer CA of the --pki directory (or of the --idevid-cert IDevIDs): it"
                    + " accepts those IDevIDs (RFC 8995 5.3) and verifies vouchers signed by that manufacturer's MASA"
                    + " signer.",
            "The MASA that the registrar contacts (the IDevIDs' MASA URL, or the one configured for the manufacturer)"
                    + " knows every pledge listed in pki.json (or given with --idevid-cert) and issues vouchers for"
                    + " them to this registrar (5.5).",
            "Each listed pledge may request vouchers repeatedly: every case uses a fresh nonce; cases that must be"
                    + " refused before the MASA is asked use IDevIDs issued on the fly from the manufacturer CA.",
            "With --masa: the MASA accepts the PKI's registrar certificate (EKU id-kp-cmcRA, domain CA chain) as signer"
                    + " of registrar voucher-requests (5.5.2-5.5.4) and TLS client.",
            "Registrar policy that holds requests for manual approval (202) makes the positive cases fail: approve the"
                    + " manufacturer automatically for the run.");

    public InteropReport {
        Objects.requireNonNull(registrar, "registrar");
        Objects.requireNonNull(masa, "masa");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(pki, "pki");
        Objects.requireNonNull(started, "started");
        Objects.requireNonNull(elapsed, "elapsed");
        results = List.copyOf(results);
        Objects.requireNonNull(stopped, "stopped");
    }

    /** A report of a run that went through the whole catalogue. */
    public InteropReport(String registrar, Optional<String> masa, Profile profile, String pki, Instant started,
            Duration elapsed, List<CaseResult> results) {
        this(registrar, masa, profile, pki, started, elapsed, results, Optional.empty());
    }

    /** How many results have this verdict. */
    public long count(Verdict verdict) {
        return results.stream().filter(r -> r.verdict() == verdict).count();
    }

    /** How many results have this verdict and requirement. */
    public long count(Verdict verdict, Requirement requirement) {
        return results.stream().filter(r -> r.verdict() == verdict && r.testCase().requirement() == requirement)
                .count();
    }

    /** Whether no required case failed and the run was not stopped. */
    public boolean successful() {
        return stopped.isEmpty() && results.stream().noneMatch(CaseResult::failsRun);
    }

    /**
     * The closing summary line, e.g. {@code 41 passed, 0 failed, 3 optional differ, 2 not applicable, 0 known peer
     * deviations}.
     */
    public String summaryLine() {
        return count(Verdict.PASS) + " passed, " + count(Verdict.FAIL) + " failed, " + count(Verdict.DIFFERS)
                + " optional differ, " + count(Verdict.NOT_APPLICABLE) + " not applicable, "
                + count(Verdict.KNOWN_DEVIATION) + " known peer deviations";
    }
}
