package org.brski.registrar.fieldbus;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import org.brski.registrar.RegistrarException;

/**
 * What the fieldbus key service persists (tables {@code fieldbus_*}, migration V4, on the registrar's database). Each
 * method is one transaction: a refusal or failure leaves no partial rows. A node belongs to at most one machine.
 * Storage failures are 503 problems.
 */
public interface FieldbusStore {
    /**
     * Adds a machine at revision 1 (active) with its controllers.
     *
     * @throws RegistrarException 409 {@code machine-exists}, 409 {@code controller-taken} when a serial already
     *                            controls another machine
     */
    void addMachine(String id, boolean operatorKey, List<String> controllers, long integratorKeyId,
            OptionalLong operatorKeyId) throws RegistrarException;

    Optional<Machine> machine(String id) throws RegistrarException;

    /** Machines ordered by id, at most {@code limit}. */
    List<Machine> machines(int limit) throws RegistrarException;

    /** The machine the enrolled device {@code deviceSerial} controls. */
    Optional<Machine> machineOfController(String deviceSerial) throws RegistrarException;

    Optional<KeyRevision> revision(String machineId, int revision) throws RegistrarException;

    /** All revisions of the machine, oldest first. */
    List<KeyRevision> revisions(String machineId) throws RegistrarException;

    /**
     * Applies {@code rotation} if the machine's current revision is still {@link Rotation#fromRevision()}: the new
     * revision becomes current and active, the previous one retired (or revoked), the node (if any) removed.
     *
     * @return false (nothing written) when the current revision moved meanwhile or the machine is unknown
     */
    boolean rotate(String machineId, Rotation rotation) throws RegistrarException;

    /**
     * Marks a non-current revision revoked, checked under the machine's lock; false (nothing written) when it does not
     * exist or is the current revision (a concurrent rotation may have made it current: revoke it with a rotation).
     */
    boolean revoke(String machineId, int revision) throws RegistrarException;

    /**
     * Stores (inserts or replaces) Provisioning Keys of nodes of the machine, all or none.
     *
     * @throws RegistrarException 409 {@code node-of-another-machine} naming the node when one belongs to another machine
     */
    void putNodeKeys(String machineId, List<NodeKey> keys) throws RegistrarException;

    /** The machine's stored node keys, by serial. */
    List<NodeKey> nodeKeys(String machineId) throws RegistrarException;

    /**
     * Records the latest report of each node, all or none.
     *
     * @throws RegistrarException 409 {@code node-of-another-machine} when a node belongs to another machine
     */
    void recordReports(String machineId, List<NodeReport> reports) throws RegistrarException;

    /** The latest report of each node of the machine, by serial. */
    List<NodeReport> reports(String machineId) throws RegistrarException;
}
