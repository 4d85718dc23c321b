package org.brski.registrar.policy;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.brski.pkix.CertPaths;
import org.brski.pkix.PkixException;
import org.brski.registrar.RegistrarException;
import org.brski.registrar.store.Device;
import org.brski.registrar.store.RegistrarStore;

/**
 * The default {@link AdmissionPolicy}, driven by the operator's records in the {@link RegistrarStore}: the IDevID must
 * validate (signature chain and validity, now) to the CA of a manufacturer; that manufacturer must be trusted; the
 * device must not be denied; in {@link ApprovalMode#HOLD} it must be approved, else it waits.
 */
public final class StoreAdmissionPolicy implements AdmissionPolicy {
    private final RegistrarStore store;
    private final Clock clock;

    public StoreAdmissionPolicy(RegistrarStore store, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Admission admit(String serial, X509Certificate idevid, List<X509Certificate> chain)
            throws RegistrarException {
        Manufacturer manufacturer = manufacturerOf(idevid, chain).orElseThrow(() -> RegistrarException.forbidden(
                "unknown-manufacturer", "the pledge's IDevID is not issued by a manufacturer this domain knows"));
        if (!manufacturer.trusted()) {
            throw RegistrarException.forbidden("manufacturer-distrusted",
                    "devices of manufacturer '" + manufacturer.name() + "' are not accepted in this domain");
        }
        Optional<Device> device = store.device(serial);
        Approval approval = device.map(Device::approval).orElse(null);
        if (approval == Approval.DENIED) {
            throw RegistrarException.forbidden("device-denied", "device '" + serial + "' is denied in this domain");
        }
        if (approval == Approval.APPROVED) {
            return new Admission(manufacturer, Approval.APPROVED);
        }
        return new Admission(manufacturer, manufacturer.mode() == ApprovalMode.AUTO ? Approval.AUTO : Approval.PENDING);
    }

    @Override
    public Optional<Manufacturer> manufacturerOf(X509Certificate idevid, List<X509Certificate> chain)
            throws RegistrarException {
        for (Manufacturer m : store.manufacturers()) {
            try {
                CertPaths.validate(idevid, chain, List.of(m.caCertificate()), clock.instant());
                return Optional.of(m);
            } catch (PkixException e) {
                // not this manufacturer
            }
        }
        return Optional.empty();
    }
}
