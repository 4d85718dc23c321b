package org.brski.registrar.policy;

import java.security.cert.X509Certificate;
import java.util.List;

import org.brski.registrar.RegistrarException;

/**
 * Decides whether a pledge, authenticated by its IDevID at the TLS layer, may join the domain (RFC 8995 section 5.3).
 * Operators may supply their own implementation (e.g. an inventory lookup).
 */
public interface AdmissionPolicy {
    /**
     * @param serial the serialNumber of {@code idevid}
     * @param idevid the pledge's TLS client certificate
     * @param chain  the rest of the chain the pledge sent (may be empty)
     * @return the admission, possibly held for approval
     * @throws RegistrarException 403 when the manufacturer is unknown or distrusted or the device is denied
     */
    Admission admit(String serial, X509Certificate idevid, List<X509Certificate> chain) throws RegistrarException;

    /** The manufacturer whose CA validates {@code idevid} now, whether trusted or not. */
    java.util.Optional<Manufacturer> manufacturerOf(X509Certificate idevid, List<X509Certificate> chain)
            throws RegistrarException;
}
