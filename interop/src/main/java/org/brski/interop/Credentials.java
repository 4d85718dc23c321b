package org.brski.interop;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.brski.pki.HeldCertificate;
import org.brski.pki.TestPki;
import org.brski.pkix.DeviceCertificates;
import org.brski.pkix.PkixException;

/**
 * The identities a run works with: the known pledges' IDevIDs (the MASA knows them, the registrar trusts their
 * manufacturer), the MASA trust anchors vouchers are verified with, and optionally the manufacturer CA with its key
 * (to issue fresh IDevIDs) and the registrar with its domain CA (to test a MASA directly). A {@code --pki} directory
 * provides all of them; a tester's own device credentials usually only the first two. Immutable.
 */
public final class Credentials {
    private final List<HeldCertificate> pledges;
    private final List<X509Certificate> masaAnchors;
    private final HeldCertificate manufacturerCa;
    private final HeldCertificate registrar;
    private final HeldCertificate domainCa;
    private final String masaUrl;

    private Credentials(List<HeldCertificate> pledges, List<X509Certificate> masaAnchors,
            HeldCertificate manufacturerCa, HeldCertificate registrar, HeldCertificate domainCa, String masaUrl) {
        this.pledges = List.copyOf(pledges);
        this.masaAnchors = List.copyOf(masaAnchors);
        this.manufacturerCa = manufacturerCa;
        this.registrar = registrar;
        this.domainCa = domainCa;
        this.masaUrl = Objects.requireNonNull(masaUrl, "masaUrl");
    }

    /** Everything from a test PKI: its pledges, its manufacturer CA (anchor and issuer), its registrar. */
    public static Credentials of(TestPki pki) {
        return new Credentials(pki.pledges(), List.of(pki.manufacturerCa().certificate()), pki.manufacturerCa(),
                pki.registrar(), pki.domainCa(), pki.masaUrl());
    }

    /**
     * A tester's own credentials: known pledges and MASA anchors, no registrar identity (cases that talk to a MASA
     * directly are not applicable).
     *
     * @param manufacturerCa the CA that issued the pledges, with its key, or null when not available (cases needing a
     *     fresh IDevID are then not applicable)
     * @throws IllegalArgumentException when no pledge or no anchor is given, a pledge has no X520 serialNumber, two
     *     pledges share a serial, or a MASA URL extension cannot be read
     */
    public static Credentials explicit(List<HeldCertificate> pledges, List<X509Certificate> masaAnchors,
            HeldCertificate manufacturerCa) {
        if (pledges.isEmpty()) {
            throw new IllegalArgumentException("at least one IDevID (--idevid-cert/--idevid-key) is needed");
        }
        if (masaAnchors.isEmpty()) {
            throw new IllegalArgumentException("at least one --masa-anchor is needed to verify vouchers");
        }
        Set<String> serials = new HashSet<>();
        for (HeldCertificate pledge : pledges) {
            String subject = pledge.certificate().getSubjectX500Principal().getName();
            String serial = DeviceCertificates.serialNumber(pledge.certificate()).orElseThrow(
                    () -> new IllegalArgumentException("IDevID " + subject + " has no X520 serialNumber"));
            if (!serials.add(serial)) {
                throw new IllegalArgumentException("two IDevIDs have the serial-number " + serial);
            }
        }
        String masaUrl;
        try {
            Optional<String> fromIdevid = DeviceCertificates.masaUrl(pledges.get(0).certificate());
            masaUrl = fromIdevid.orElse(TestPki.DEFAULT_MASA_URL);
        } catch (PkixException e) {
            throw new IllegalArgumentException("IDevID MASA URL extension: " + e.getMessage(), e);
        }
        return new Credentials(pledges, masaAnchors, manufacturerCa, null, null, masaUrl);
    }

    /** The known pledges, in the order given. */
    public List<HeldCertificate> pledges() {
        return pledges;
    }

    /** The MASA trust anchors vouchers are verified with (RFC 8995 5.6.1). */
    public List<X509Certificate> masaAnchors() {
        return masaAnchors;
    }

    /** The manufacturer CA with its key, if available (to issue fresh IDevIDs). */
    public Optional<HeldCertificate> manufacturerCa() {
        return Optional.ofNullable(manufacturerCa);
    }

    /** The registrar (EKU id-kp-cmcRA) with its key, if available (to test a MASA directly). */
    public Optional<HeldCertificate> registrar() {
        return Optional.ofNullable(registrar);
    }

    /** The registrar's domain CA with its key, if available. */
    public Optional<HeldCertificate> domainCa() {
        return Optional.ofNullable(domainCa);
    }

    /** The MASA URL fresh and foreign IDevIDs carry. */
    public String masaUrl() {
        return masaUrl;
    }

    /** Serials of the known pledges, in order. */
    public List<String> serials() {
        List<String> serials = new ArrayList<>();
        for (HeldCertificate pledge : pledges) {
            serials.add(DeviceCertificates.serialNumber(pledge.certificate()).orElseThrow());
        }
        return serials;
    }

    @Override
    public String toString() {
        return "Credentials[" + pledges.size() + " pledge(s), " + masaAnchors.size() + " MASA anchor(s)"
                + (manufacturerCa != null ? ", manufacturer CA key" : "") + (registrar != null ? ", registrar" : "")
                + "]";
    }
}
