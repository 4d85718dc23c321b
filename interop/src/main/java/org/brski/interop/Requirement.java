package org.brski.interop;

/**
 * Whether a peer must behave as a case expects. A REQUIRED case that is not met fails the run; an OPTIONAL case
 * covers behaviour the RFCs leave open (400 vs 403 vs 406, whether {@code id-data} is accepted, ...) and is reported
 * separately as "differs" without failing the run.
 */
public enum Requirement {
    REQUIRED("required"),
    OPTIONAL("optional");

    private final String label;

    Requirement(String label) {
        this.label = label;
    }

    /** Lower-case label for reports. */
    public String label() {
        return label;
    }
}
