package org.brski.masa.store;

import java.util.List;
import java.util.Optional;

/**
 * The MASA's storage: the device registry with each device's ownership, and the audit log of issued vouchers
 * (RFC 8995 section 5.8). Implementations are thread-safe, and {@link #appendAuditEvent} is durable when it returns.
 */
public interface MasaStore {
    /** The device with this serial-number, if registered. */
    Optional<Device> device(String serialNumber) throws StoreException;

    /**
     * Registers a device, or leaves an existing one untouched.
     *
     * @return whether the device was new
     */
    boolean addDevice(Device device) throws StoreException;

    /**
     * Changes a registered device's ownership.
     *
     * @return false when no such device is registered
     */
    boolean setOwnership(String serialNumber, Ownership ownership) throws StoreException;

    /** Registered devices in serial-number order, at most {@code limit} after skipping {@code offset}. */
    List<Device> devices(int offset, int limit) throws StoreException;

    /** Whether a voucher was already issued for this device with this nonce. */
    boolean nonceUsed(String serialNumber, String nonce) throws StoreException;

    /**
     * Appends an issued voucher to the device's audit log, durably, before the voucher is returned.
     *
     * @return false, with nothing written, when the device already has an event with the same non-null nonce (a replay)
     * @throws StoreException also when the device is not registered
     */
    boolean appendAuditEvent(AuditEvent event) throws StoreException;

    /** The most recent {@code limit} events of the device, oldest first. */
    List<AuditEvent> auditEvents(String serialNumber, int limit) throws StoreException;

    /** How many events the device's audit log holds. */
    long auditEventCount(String serialNumber) throws StoreException;
}
