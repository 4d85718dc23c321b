package org.brski.pledge.fieldbus;

import java.util.Objects;

import org.brski.fieldbus.crypto.KeyId;

/**
 * What commissioning did to one fieldbus node, as read back from it: its Key IDs (EmSA WP-104 3.5) are the evidence,
 * since keys themselves cannot be read.
 *
 * @param nodeId          CANopen node id
 * @param serial          the node's serial number (object 0x1018:4), -1 when the node did not answer
 * @param status          the outcome
 * @param detail          a reason token and message for refusals and failures, empty otherwise
 * @param provisioningKeyId Key ID read back from 0x5F02:1 ({@link KeyId#EMPTY} when none)
 * @param integratorKeyId Key ID read back from 0x5F02:2
 * @param operatorKeyId   Key ID read back from 0x5F02:3
 * @param revision        the domain key revision of the Integrator Key the node holds, -1 when unknown
 * @param provisioningKeyGenerated whether this run generated and installed the node's Provisioning Key (bench mode)
 */
public record NodeResult(int nodeId, long serial, Status status, String detail, long provisioningKeyId,
        long integratorKeyId, long operatorKeyId, int revision, boolean provisioningKeyGenerated) {

    /** Outcomes of commissioning one node. */
    public enum Status {
        /** Keys were installed and verified by read-back and a session check. */
        COMMISSIONED("commissioned"),
        /** The node already held the package's keys; verified by read-back and a session check. */
        UP_TO_DATE("up-to-date"),
        /** The commissioning tool declined to touch the node (e.g. uncommissioned outside an isolated bench). */
        REFUSED("refused"),
        /** The node refused an operation or a check failed. */
        FAILED("failed"),
        /** No node answered at this id. */
        ABSENT("absent"),
        /** The node was factory restored to the uncommissioned state. */
        RESTORED("restored");

        private final String label;

        Status(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public NodeResult {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(detail, "detail");
    }

    /** Whether the node ended in the state commissioning aimed for. */
    public boolean ok() {
        return status == Status.COMMISSIONED || status == Status.UP_TO_DATE || status == Status.RESTORED;
    }

    static NodeResult absent(int nodeId, String detail) {
        return new NodeResult(nodeId, -1, Status.ABSENT, detail, KeyId.EMPTY, KeyId.EMPTY, KeyId.EMPTY, -1, false);
    }

    static NodeResult of(int nodeId, long serial, Status status, String detail, long[] keyIds, int revision,
            boolean generated) {
        return new NodeResult(nodeId, serial, status, detail, keyIds[0], keyIds[1], keyIds[2], revision, generated);
    }
}
