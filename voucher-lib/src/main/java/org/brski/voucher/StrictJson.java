package org.brski.voucher;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * How every JSON document received from a peer is read: a member name may appear once per object (RFC 8259 section 4
 * says names SHOULD be unique; a duplicate lets two parsers see two different documents, so it is refused), nothing may
 * follow the value, nesting is bounded. And how a parse error is told to the peer: in JSON terms with a position, never
 * with the parser's class or option names.
 */
public final class StrictJson {
    /** Nesting depth allowed by {@link #mapper()}: deeper than any document BRSKI defines. */
    public static final int DEFAULT_MAX_DEPTH = 32;

    private StrictJson() {
    }

    /** A strict mapper with {@link #DEFAULT_MAX_DEPTH}. */
    public static ObjectMapper mapper() {
        return mapper(DEFAULT_MAX_DEPTH);
    }

    /** A mapper that refuses duplicate member names and trailing tokens, and documents nested deeper than maxDepth. */
    public static ObjectMapper mapper(int maxDepth) {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(maxDepth).build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        return new ObjectMapper(factory).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
    }

    /**
     * What was wrong with the JSON, for a problem detail: Jackson's own message without class names, option names or
     * source excerpts, and the line and column where it was found.
     */
    public static String describe(JsonProcessingException e) {
        String what;
        String original = String.valueOf(e.getOriginalMessage());
        if (e instanceof StreamConstraintsException && original.contains("nesting depth")) {
            what = "nested too deeply";
        } else if (original.startsWith("Trailing token")) {
            what = "unexpected content after the JSON value";
        } else if (original.startsWith("Duplicate field")) {
            what = "duplicate member name" + quoted(original);
        } else {
            what = original.lines().findFirst().orElse("")
                    .replaceAll("\\s*\\((?:bound as|through reference chain)[^)]*\\)", "")
                    .replaceAll(", from `[^`]*`", "")
                    .replaceAll("\\s*\\(start marker at \\[[^\\]]*\\]\\)", "")
                    .replaceAll("\\[Source:[^\\]]*\\]", "")
                    .replaceAll("`[^`]*`", "")
                    .replaceAll("\\s+", " ").trim();
            if (what.length() > 160) {
                what = what.substring(0, 160) + "...";
            }
        }
        JsonLocation at = e.getLocation();
        return at == null || at.getLineNr() < 1 ? what
                : what + " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    }

    private static String quoted(String message) {
        int open = message.indexOf('\'');
        int close = message.indexOf('\'', open + 1);
        return open >= 0 && close > open && close - open <= 130 ? " " + message.substring(open, close + 1) : "";
    }
}
