package org.brski.interop;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One named interop case: an id, the RFC section it checks, whether a peer must meet it, which peer it talks to, what
 * it expects, and the probe that runs it. Case definitions hold no transport: the probe receives an
 * {@link InteropContext} that opens connections. Immutable; build with {@link #required} or {@link #optional}.
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
    private final Probe probe;

    private InteropCase(String id, String section, Requirement requirement, Target target, String title,
            String expected, Set<Profile> profiles, Probe probe) {
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
        this.probe = Objects.requireNonNull(probe, "probe");
    }

    /** A required registrar case that runs in every profile. */
    public static InteropCase required(String id, String section, String title, String expected, Probe probe) {
        return new InteropCase(id, section, Requirement.REQUIRED, Target.REGISTRAR, title, expected,
                EnumSet.allOf(Profile.class), probe);
    }

    /** An optional registrar case that runs in every profile. */
    public static InteropCase optional(String id, String section, String title, String expected, Probe probe) {
        return new InteropCase(id, section, Requirement.OPTIONAL, Target.REGISTRAR, title, expected,
                EnumSet.allOf(Profile.class), probe);
    }

    /** The same case addressed to the MASA (skipped when no MASA is given). */
    public InteropCase atMasa() {
        return new InteropCase(id, section, requirement, Target.MASA, title, expected, profiles, probe);
    }

    /** The same case, run only in {@code profile} (skipped in the others). */
    public InteropCase onlyIn(Profile profile) {
        return new InteropCase(id, section, requirement, target, title, expected, EnumSet.of(profile), probe);
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
