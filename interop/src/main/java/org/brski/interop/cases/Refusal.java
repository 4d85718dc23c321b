package org.brski.interop.cases;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.brski.interop.InteropException;
import org.brski.interop.Observation;
import org.brski.interop.client.Attempt;
import org.brski.interop.client.Replies;
import org.brski.pledge.http.HttpReply;

/**
 * What counts as the refusal a negative case tests, so that a case passes only when the peer refused for that reason
 * (the positive control, that the endpoint answered a valid request in this run, is the runner's part):
 * <ul>
 *   <li>an HTTP 4xx answer; 404 and 405 only where the case allows them (RFC 8995 5.3 and 5.6 name 404 for an unknown
 *       device), since otherwise they mean the resource or method is missing;</li>
 *   <li>when the answer is {@code application/problem+json} (RFC 9457) with a specific type or a detail, they name the
 *       reason (a refusal that says "could not parse the CSR" does not show that a voucher was required);</li>
 *   <li>a connection reset, a timeout or a TLS alert is no refusal, except where the case says the RFC lets the peer
 *       refuse at the TLS layer (an IDevID of a manufacturer the registrar does not trust, RFC 8995 2.5.3).</li>
 * </ul>
 * Any other answer than a 4xx is not met; an ambiguous answer is not applicable, "precondition failed". Immutable.
 */
final class Refusal {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<Integer> AMBIGUOUS = Set.of(404, 405);
    /** Words of a refusal of a body that is not what the endpoint takes (not CMS, not DER, not base64...). */
    static final String MALFORMED = "cms|der\\b|asn|pars|decod|malformed|format|invalid|corrupt|truncat|signed.?data"
            + "|base64|encod|content";
    /** Words of a refusal of an oversized body. */
    static final String TOO_LARGE = "size|large|long|limit|413|length|big|exceed";
    /** Words of a refusal of a media type. */
    static final String MEDIA_TYPE = "content.?type|media.?type|415|unsupported|mime";
    /** Words of a refusal of a signature that does not verify. */
    static final String SIGNATURE = "signature|signed|signer|verif";

    private final String reason;
    private final Pattern words;
    private final int exactly;
    private final Set<Integer> allowed;
    private final boolean tlsAlert;

    private Refusal(String reason, Pattern words, int exactly, Set<Integer> allowed, boolean tlsAlert) {
        this.reason = reason;
        this.words = words;
        this.exactly = exactly;
        this.allowed = Set.copyOf(allowed);
        this.tlsAlert = tlsAlert;
    }

    /**
     * Any 4xx but 404/405, for {@code reason}; a specific problem type or detail must match {@code words} (a
     * case-insensitive regular expression).
     */
    static Refusal because(String reason, String words) {
        return new Refusal(reason, Pattern.compile(words, Pattern.CASE_INSENSITIVE), 0, Set.of(), false);
    }

    /** Only {@code status} meets the case (another 4xx is not met); 404 or 405 here is the expected answer. */
    Refusal exactly(int status) {
        return new Refusal(reason, words, status, allowed, tlsAlert);
    }

    /** 404 or 405 is a refusal here too: the RFC names it for this reason. */
    Refusal alsoStatus(int status) {
        Set<Integer> more = new TreeSet<>(allowed);
        more.add(status);
        return new Refusal(reason, words, exactly, more, tlsAlert);
    }

    /** A TLS alert is a refusal here too: the RFC lets the peer refuse this at the TLS layer. */
    Refusal orTlsAlert() {
        return new Refusal(reason, words, exactly, allowed, true);
    }

    /**
     * Judges the answer.
     *
     * @return met for a refusal for the reason, not met for an answer that is no refusal (2xx, 3xx, 5xx) or another
     *     4xx than the one required
     * @throws InteropException precondition failed when the answer cannot show a refusal for the reason
     */
    Observation judge(Attempt attempt) throws InteropException {
        if (attempt.reply().isEmpty()) {
            String failure = attempt.failure().orElse("no answer");
            if (tlsAlert && attempt.tlsAlert()) {
                return Observation.met("refused at the TLS layer: " + failure);
            }
            throw InteropException.preconditionFailed("no HTTP answer (" + failure + "): a transport failure is not a"
                    + " refusal" + (tlsAlert ? " (only a TLS alert is, here)" : " (the RFC asks for no refusal at"
                    + " the TLS layer here)"));
        }
        HttpReply reply = attempt.reply().get();
        int status = reply.status();
        String seen = Replies.describe(reply);
        if (status / 100 != 4) {
            return Observation.unmet(seen + (status / 100 == 2 ? " (accepted: no refusal)" : " (no refusal: a 4xx is"
                    + " expected)"));
        }
        if (AMBIGUOUS.contains(status) && status != exactly && !allowed.contains(status)) {
            throw InteropException.preconditionFailed(seen + ": a " + status + " does not show a refusal for "
                    + reason + " (" + (status == 404 ? "the resource may be missing" : "the method may be unsupported")
                    + ")");
        }
        if (exactly != 0 && status != exactly) {
            return Observation.unmet(seen + " (" + exactly + " expected)");
        }
        Optional<String> problem = problem(reply);
        if (problem.isPresent() && !words.matcher(problem.get()).find()) {
            throw InteropException.preconditionFailed(seen + ": the problem's type and detail do not name " + reason
                    + ", so the refusal may be for another reason");
        }
        return Observation.met(seen);
    }

    /** The type (unless {@code about:blank}), title and detail of a problem+json answer, when it says anything. */
    static Optional<String> problem(HttpReply reply) {
        if (!reply.mediaType().equals("application/problem+json")) {
            return Optional.empty();
        }
        JsonNode root;
        try {
            root = JSON.readTree(reply.body());
        } catch (IOException e) {
            return Optional.empty();
        }
        if (root == null || !root.isObject()) {
            return Optional.empty();
        }
        String type = root.path("type").asText("");
        String detail = root.path("detail").asText("");
        if ((type.isBlank() || type.equals("about:blank")) && detail.isBlank()) {
            return Optional.empty();
        }
        List<String> parts = new ArrayList<>();
        for (String part : List.of(type.equals("about:blank") ? "" : type, root.path("title").asText(""), detail)) {
            if (!part.isBlank()) {
                parts.add(part);
            }
        }
        return Optional.of(String.join(" | ", parts));
    }

    @Override
    public String toString() {
        return "Refusal[" + reason + (exactly != 0 ? ", " + exactly : "") + "]";
    }
}
