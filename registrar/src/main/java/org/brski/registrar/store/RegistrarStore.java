package org.brski.registrar.store;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

import org.brski.registrar.RegistrarException;
import org.brski.registrar.policy.Approval;
import org.brski.registrar.policy.Manufacturer;

/**
 * Everything the registrar persists. Each method is atomic: a failure leaves no partial rows. Implementations are
 * thread-safe and keep no state outside the database, so that several registrar instances can share one. Storage
 * failures are reported as 503 problems.
 */
public interface RegistrarStore {
    /** All manufacturers, by name. */
    List<Manufacturer> manufacturers() throws RegistrarException;

    Optional<Manufacturer> manufacturer(String name) throws RegistrarException;

    /**
     * Inserts or replaces the manufacturer of that name.
     *
     * @throws RegistrarException 409 when another manufacturer already holds the same CA certificate
     */
    void putManufacturer(Manufacturer manufacturer) throws RegistrarException;

    /** Sets the trusted flag; false when no manufacturer has that name. */
    boolean setManufacturerTrusted(String name, boolean trusted) throws RegistrarException;

    Optional<Device> device(String serial) throws RegistrarException;

    /** Devices ordered by serial, at most {@code limit}. */
    List<Device> devices(int limit) throws RegistrarException;

    /** Records an operator's decision, creating the device row when the device was never seen (allowlisting). */
    void setApproval(String serial, Approval approval) throws RegistrarException;

    /**
     * Records a device waiting for approval: creates it as {@link Approval#PENDING} with its IDevID, or refreshes the
     * IDevID of an existing row without changing its approval; remembers the SHA-256 (hex) of the held pledge
     * voucher-request so that its retry is recognised (RFC 8995 5.6).
     */
    void recordPending(String serial, String manufacturer, X509Certificate idevid, String pvrSha256)
            throws RegistrarException;

    /** Whether the pledge voucher-request with this SHA-256 (hex) was held for approval for this device. */
    boolean wasHeld(String serial, String pvrSha256) throws RegistrarException;

    /**
     * Stores a voucher and, in the same transaction, creates or refreshes the device row (IDevID, manufacturer; a new
     * row gets {@code approval}) and forgets the held request ({@link #wasHeld} is false afterwards): a request held
     * once is exempt from the created-on freshness check only until its voucher is issued.
     */
    void recordVoucher(VoucherRecord voucher, String manufacturer, X509Certificate idevid, Approval approval)
            throws RegistrarException;

    /** The newest voucher obtained for the device. */
    Optional<VoucherRecord> latestVoucher(String serial) throws RegistrarException;

    /** Stores voucher status telemetry; false when the device is unknown. */
    boolean recordVoucherStatus(String serial, StatusReport report) throws RegistrarException;

    /** Stores enrollment status telemetry; false when the device is unknown. */
    boolean recordEnrollStatus(String serial, StatusReport report) throws RegistrarException;

    /** Stores an audit verdict; false when the device is unknown. */
    boolean recordAudit(String serial, AuditResult result) throws RegistrarException;

    /**
     * Remembers an LDevID issued to a known device, unless the device already has {@code limit} or more: the count
     * and the insert are one transaction holding the device row, so concurrent requests (any instance) cannot pass
     * the limit together.
     *
     * @return false (nothing written) when the device already has {@code limit} certificates
     */
    boolean recordCertificate(String serial, X509Certificate certificate, int limit) throws RegistrarException;

    /** The issued certificate equal to {@code certificate}, if this registrar issued it. */
    Optional<IssuedCertificate> issuedCertificate(X509Certificate certificate) throws RegistrarException;
}
