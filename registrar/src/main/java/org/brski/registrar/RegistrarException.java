package org.brski.registrar;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

import org.brski.voucher.Problem;

/**
 * The one checked exception family of the registrar: every refusal carries the RFC 9457 {@link Problem} a peer sees
 * (which names what was wrong in the request, never internals) and, for 202/503 answers, a Retry-After delay. The
 * exception message is the operator's log line and may say more than the problem detail.
 */
public class RegistrarException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient Problem problem;
    private final Duration retryAfter;

    public RegistrarException(Problem problem) {
        this(problem, problem.detail(), null, null);
    }

    public RegistrarException(Problem problem, String logMessage, Throwable cause, Duration retryAfter) {
        super(logMessage, cause);
        this.problem = Objects.requireNonNull(problem, "problem");
        this.retryAfter = retryAfter;
    }

    /** A refusal: {@code urn:brski:problem:<slug>} with the given status, title and detail. */
    public static RegistrarException of(int status, String slug, String title, String detail) {
        return new RegistrarException(Problem.of(slug, title, status, detail));
    }

    /** 400: the request is malformed. */
    public static RegistrarException badRequest(String slug, String detail) {
        return of(400, slug, "Bad request", detail);
    }

    /** 413: a request body over its bound; {@code detail} names the bound. */
    public static RegistrarException tooLarge(String detail) {
        return of(413, "too-large", "Request body too large", detail);
    }

    /** 401: the client is not who it must be (RFC 8995 5.2: wrong proximity-registrar-cert). */
    public static RegistrarException unauthorized(String slug, String detail) {
        return of(401, slug, "Unauthorized", detail);
    }

    /** 403: refused by verification or policy (RFC 8995 5.3, 5.6). */
    public static RegistrarException forbidden(String slug, String detail) {
        return of(403, slug, "Forbidden", detail);
    }

    /** 404: unknown device or resource. */
    public static RegistrarException notFound(String slug, String detail) {
        return of(404, slug, "Not found", detail);
    }

    /** 502: the MASA answered with something unusable. */
    public static RegistrarException badGateway(String slug, String detail, String logMessage) {
        return new RegistrarException(Problem.of(slug, "Bad gateway", 502, detail), logMessage, null, null);
    }

    /** 503 with Retry-After: a dependency (MASA, storage) is unavailable for now. */
    public static RegistrarException unavailable(String slug, String detail, String logMessage, Throwable cause,
            Duration retryAfter) {
        return new RegistrarException(Problem.of(slug, "Service unavailable", 503, detail), logMessage, cause,
                retryAfter);
    }

    /** The problem to answer. */
    public Problem problem() {
        return problem;
    }

    /** The delay to announce in Retry-After, if any. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
