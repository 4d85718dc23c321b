package org.brski.voucher;

import java.util.Optional;

/**
 * The {@code assertion} leaf of RFC 8366 section 5.3: what the MASA asserts it verified about the pledge's
 * ownership before issuing the voucher.
 */
public enum Assertion {
    /** The MASA verified ownership, e.g. against a sales record. */
    VERIFIED("verified"),
    /** The MASA only logged the claim; the voucher is auditable (RFC 8995 section 5.8). */
    LOGGED("logged"),
    /** The pledge asserted proximity to the registrar (RFC 8995 section 5.2). */
    PROXIMITY("proximity");

    private final String yangName;

    Assertion(String yangName) {
        this.yangName = yangName;
    }

    /** The enumeration value as it appears in JSON. */
    public String yangName() {
        return yangName;
    }

    /** The assertion with this YANG enumeration name (case-sensitive, as YANG requires). */
    public static Optional<Assertion> fromYangName(String name) {
        for (Assertion a : values()) {
            if (a.yangName.equals(name)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return yangName;
    }
}
