package org.brski.registrar.policy;

/** How devices of a trusted manufacturer are admitted (RFC 8995 section 5.3). */
public enum ApprovalMode {
    /** Any device of the manufacturer may join unless it is denied. */
    AUTO,
    /** A device joins only once an operator approves it; until then the pledge is answered 202 + Retry-After. */
    HOLD;

    /** Parses {@code auto} or {@code hold} (case-insensitive). */
    public static ApprovalMode parse(String value) {
        return switch (value == null ? "" : value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "auto", "auto-accept" -> AUTO;
            case "hold", "hold-for-approval" -> HOLD;
            default -> throw new IllegalArgumentException("approval mode must be auto or hold, not '" + value + "'");
        };
    }

    public String cliName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
