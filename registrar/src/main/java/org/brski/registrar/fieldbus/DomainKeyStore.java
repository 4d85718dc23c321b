package org.brski.registrar.fieldbus;

import org.brski.fieldbus.FieldbusException;
import org.brski.fieldbus.keys.PackagedKey;

/**
 * Where the domain master key lives (a PKCS#12 file now, a PKCS#11 token later): the only code that touches it. It
 * derives a machine's Integrator and Operator Keys per {@code fieldbus/DESIGN.md} "Domain keys" (key-management spec:
 * "derive from a master") and wraps node Provisioning Keys for storage at rest, so that no key is ever stored in clear
 * outside it (issue 8). Implementations are thread-safe and never log, print or expose the master.
 */
public interface DomainKeyStore {
    /** The Integrator Key of {@code machineId} at {@code revision}, with its Key ID (WP-104 3.3). */
    PackagedKey integratorKey(String machineId, int revision) throws FieldbusException;

    /** The Operator Key of {@code machineId} at {@code revision}, with its Key ID (WP-104 3.4). */
    PackagedKey operatorKey(String machineId, int revision) throws FieldbusException;

    /**
     * Encrypts a node's Provisioning Key for the database, bound to its machine and node serial (authenticated data):
     * a wrapped key copied to another node or machine does not unwrap.
     */
    byte[] wrapProvisioningKey(String machineId, long nodeSerial, byte[] key) throws FieldbusException;

    /**
     * Reverses {@link #wrapProvisioningKey}.
     *
     * @throws FieldbusException {@code unwrap-failed} when the blob was not wrapped by this store for exactly this
     *                           machine and node
     */
    byte[] unwrapProvisioningKey(String machineId, long nodeSerial, byte[] wrapped) throws FieldbusException;
}
