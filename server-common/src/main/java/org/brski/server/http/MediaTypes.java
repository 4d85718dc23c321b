package org.brski.server.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.brski.server.ServerException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * Content-Type checks (415) and Accept negotiation (406) per RFC 9110 sections 8.3 and 12.5.1: media types compare
 * case-insensitively without parameters; Accept honours {@code *}{@code /*}, {@code type/*}, q-values (q=0 excludes)
 * and the most specific matching range; a missing Accept accepts anything. Malformed Accept members are ignored.
 */
public final class MediaTypes {
    /** Longest Accept or Content-Type value considered; longer ones are refused. */
    public static final int MAX_HEADER_LENGTH = 4096;
    /** Most Accept members considered. */
    public static final int MAX_ACCEPT_MEMBERS = 64;

    private MediaTypes() {
    }

    /** The {@code type/subtype} of a Content-Type value, lower-cased, without parameters. */
    public static Optional<String> essence(String contentType) {
        if (contentType == null || contentType.length() > MAX_HEADER_LENGTH) {
            return Optional.empty();
        }
        String base = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        int slash = base.indexOf('/');
        if (slash <= 0 || slash == base.length() - 1 || base.indexOf('/', slash + 1) >= 0 || base.contains(" ")) {
            return Optional.empty();
        }
        return Optional.of(base);
    }

    /**
     * Checks that {@code contentType} is one of {@code accepted} (compared without parameters).
     *
     * @return the matching accepted type
     * @throws ServerException 415 naming the expected types
     */
    public static String requireContentType(String contentType, List<String> accepted) throws ServerException {
        Optional<String> essence = essence(contentType);
        if (essence.isPresent()) {
            for (String type : accepted) {
                if (type.equalsIgnoreCase(essence.get())) {
                    return type;
                }
            }
        }
        throw ServerException.unsupportedMediaType("Content-Type " + Responses.sanitize(contentType)
                + " is not supported; send " + String.join(" or ", accepted));
    }

    /** {@link #requireContentType(String, List)} on the request's Content-Type header. */
    public static String requireContentType(Request request, List<String> accepted) throws ServerException {
        return requireContentType(request.getHeaders().get(HttpHeader.CONTENT_TYPE), accepted);
    }

    /**
     * Chooses among {@code offered} (in server preference order) the type the client accepts with the highest q-value.
     *
     * @param accept the Accept header value(s) joined with commas, or null when the request has none
     * @throws ServerException 406 when none of {@code offered} is acceptable
     */
    public static String negotiate(String accept, List<String> offered) throws ServerException {
        if (accept == null || accept.isBlank()) {
            return offered.get(0);
        }
        if (accept.length() > MAX_HEADER_LENGTH) {
            throw ServerException.notAcceptable("Accept header longer than " + MAX_HEADER_LENGTH + " characters");
        }
        List<Range> ranges = parse(accept);
        String best = null;
        double bestQ = 0;
        for (String type : offered) {
            double q = quality(ranges, type.toLowerCase(Locale.ROOT));
            if (q > bestQ) {
                best = type;
                bestQ = q;
            }
        }
        if (best == null) {
            throw ServerException.notAcceptable("none of the acceptable media types (" + Responses.sanitize(accept)
                    + ") can be produced; this resource answers " + String.join(" or ", offered));
        }
        return best;
    }

    /** {@link #negotiate(String, List)} on the request's Accept header(s). */
    public static String negotiate(Request request, List<String> offered) throws ServerException {
        List<String> values = request.getHeaders().getValuesList(HttpHeader.ACCEPT);
        return negotiate(values.isEmpty() ? null : String.join(",", values), offered);
    }

    private static double quality(List<Range> ranges, String type) {
        int slash = type.indexOf('/');
        String main = type.substring(0, slash);
        int bestSpecificity = -1;
        double q = 0;
        for (Range r : ranges) {
            int specificity;
            if (r.type.equals(type)) {
                specificity = 2;
            } else if (r.type.equals(main + "/*")) {
                specificity = 1;
            } else if (r.type.equals("*/*")) {
                specificity = 0;
            } else {
                continue;
            }
            if (specificity > bestSpecificity) {
                bestSpecificity = specificity;
                q = r.q;
            }
        }
        return q;
    }

    private static List<Range> parse(String accept) {
        List<Range> ranges = new ArrayList<>();
        for (String member : splitOutsideQuotes(accept, ',')) {
            if (ranges.size() >= MAX_ACCEPT_MEMBERS) {
                break;
            }
            List<String> parts = splitOutsideQuotes(member, ';');
            Optional<String> type = essence(parts.isEmpty() ? "" : parts.get(0));
            if (type.isEmpty() || (type.get().startsWith("*/") && !type.get().equals("*/*"))) {
                continue;
            }
            double q = 1.0;
            boolean valid = true;
            for (String parameter : parts.subList(1, parts.size())) {
                String[] kv = parameter.split("=", 2);
                if (kv.length == 2 && kv[0].trim().equalsIgnoreCase("q")) {
                    try {
                        q = Double.parseDouble(kv[1].trim());
                    } catch (NumberFormatException e) {
                        valid = false;
                    }
                    if (q < 0 || q > 1 || Double.isNaN(q)) {
                        valid = false;
                    }
                }
            }
            if (valid) {
                ranges.add(new Range(type.get(), q));
            }
        }
        return ranges;
    }

    private static List<String> splitOutsideQuotes(String value, char separator) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == separator && !quoted) {
                parts.add(current.toString().trim());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        parts.add(current.toString().trim());
        parts.removeIf(String::isEmpty);
        return parts;
    }

    private record Range(String type, double q) {
    }
}
