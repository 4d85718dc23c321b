package org.brski.server;

import java.util.Objects;
import org.brski.voucher.Problem;

/**
 * The checked exception family of server-common: every failure carries the RFC 9457 {@link Problem} a server answers
 * with. The exception message is for the operator's log and may say more than {@link Problem#detail()}; the problem
 * is what a peer sees and never names internals (paths, SQL, stack traces).
 */
public class ServerException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient Problem problem;

    /** A failure whose log message equals the problem detail. */
    public ServerException(Problem problem) {
        this(problem, problem.detail(), null);
    }

    /** A failure with a log message that may say more than the problem detail shown to the peer. */
    public ServerException(Problem problem, String logMessage, Throwable cause) {
        super(logMessage, cause);
        this.problem = Objects.requireNonNull(problem, "problem");
    }

    /** The problem to answer. */
    public Problem problem() {
        return problem;
    }

    /** A 400 Bad Request problem. */
    public static ServerException badRequest(String slug, String detail) {
        return new ServerException(Problem.of(slug, "Bad request", 400, detail));
    }

    /** A 413 Content Too Large problem (RFC 9110 section 15.5.14). */
    public static ServerException tooLarge(long limit) {
        return new ServerException(Problem.of("too-large", "Request body too large", 413,
                "request body exceeds the limit of " + limit + " bytes"));
    }

    /** A 415 Unsupported Media Type problem (RFC 9110 section 15.5.16). */
    public static ServerException unsupportedMediaType(String detail) {
        return new ServerException(Problem.of("unsupported-media-type", "Unsupported media type", 415, detail));
    }

    /** A 406 Not Acceptable problem (RFC 9110 section 15.5.7). */
    public static ServerException notAcceptable(String detail) {
        return new ServerException(Problem.of("not-acceptable", "Not acceptable", 406, detail));
    }
}
