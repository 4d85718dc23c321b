package org.brski.interop;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One named interop case: an id, the RFC section it checks, whether a peer must meet it, which peer it talks to, what
 * it expects, the positive case it depends on, and the probe that runs it. Case definitions hold no transport: the
 * probe receives an {@link InteropContext} that opens connections. Immutable; build with {@link #required} or
 * {@link #optional}.
 *
 * <p>Positive controls: a case that needs another to have passed first names it with {@link #needs}. A refusal case
 * needs the positive case of the same endpoint (a 4xx from an endpoint that never answered a valid request shows
 * nothing), a variant or property of an answer needs the case that obtained it. When that case did not pass in this
 * run, the runner does not run this one and reports it not applicable, "precondition failed", naming that case.
 */
public final class InteropCase {
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9.-]{1,63}");

    /** Runs one case against the peer that the context names. */
    @FunctionalInterface
    public interface Probe {
        /**
         * @return what was seen and whether it met the expectation
         * @throws InteropException when the case cannot complete or does not apply
         */
        Observation run(InteropContext context) throws InteropException;
    }

    private final String id;
    private final String section;
    private final Requirement requirement;
    private final Target target;
    private final String title;
    private final String expected;
    private final Set<Profile> profiles;
    private final String control;
    private final Probe probe;

    private InteropCase(String id, String section, Requirement requirement, Target target, String title,
            String expected, Set<Profile> profiles, String control, Probe probe) {
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("case id '" + id + "' must be lower-case letters, digits, '.' or '-'");
        }
        this.id = id;
        this.section = Objects.requireNonNull(section, "section");
        this.requirement = Objects.requireNonNull(requirement, "requirement");
        this.target = Objects.requireNonNull(target, "target");
        this.title = Objects.requireNonNull(title, "title");
        this.expected = Objects.requireNonNull(expected, "expected");
        this.profiles = Set.copyOf(profiles);
        this.control = control;
        this.probe = Objects.requireNonNull(probe, "probe");
    }

    /** A required registrar case that runs in every profile. */
    public static InteropCase required(String id, String section, String title, String expected, Probe probe) {
        return new InteropCase(id, section, Requirement.REQUIRED, Target.REGISTRAR, title, expected,
                EnumSet.allOf(Profile.class), null, probe);
    }

    /** An optional registrar case that runs in every profile. */
    public static InteropCase optional(String id, String section, String title, String expected, Probe probe) {
        return new InteropCase(id, section, Requirement.OPTIONAL, Target.REGISTRAR, title, expected,
                EnumSet.allOf(Profile.class), null, probe);
    }

    /** The same case addressed to the MASA (skipped when no MASA is given). */
    public InteropCase atMasa() {
        return new InteropCase(id, section, requirement, Target.MASA, title, expected, profiles, control, probe);
    }

    /** The same case, run only in {@code profile} (skipped in the others). */
    public InteropCase onlyIn(Profile profile) {
        return new InteropCase(id, section, requirement, target, title, expected, EnumSet.of(profile), control,
                probe);
    }

    /** The same case, run only after the case {@code positiveCase} passed in the same run (its positive control). */
    public InteropCase needs(String positiveCase) {
        if (positiveCase.equals(id)) {
            throw new IllegalArgumentException("case " + id + " cannot be its own positive control");
        }
        return new InteropCase(id, section, requirement, target, title, expected, profiles,
                Objects.requireNonNull(positiveCase, "positiveCase"), probe);
    }

    public String id() {
        return id;
    }

    /** The RFC section checked, e.g. {@code RFC 8995 5.2}. */
    public String section() {
        return section;
    }

    public Requirement requirement() {
        return requirement;
    }

    public Target target() {
        return target;
    }

    /** A short description of what is sent. */
    public String title() {
        return title;
    }

    /** What a conforming peer does: status class or code and/or artifact properties. */
    public String expected() {
        return expected;
    }

    /** The case that must have passed before this one runs, if any. */
    public Optional<String> control() {
        return Optional.ofNullable(control);
    }

    /** Whether the case runs in {@code profile}. */
    public boolean appliesTo(Profile profile) {
        return profiles.contains(profile);
    }

    /** Runs the probe. */
    public Observation run(InteropContext context) throws InteropException {
        return probe.run(context);
    }

    @Override
    public String toString() {
        return "InteropCase[" + id + ", " + section + ", " + requirement.label() + "]";
    }
}
