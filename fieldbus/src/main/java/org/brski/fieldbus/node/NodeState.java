package org.brski.fieldbus.node;

/**
 * The security state of a node (EmSA WP-104 chapter 3, Figure 1), as read from object 0x5F00 (DESIGN.md).
 */
public enum NodeState {
    /** No Provisioning Key: accepts only the PK install, no operational I/O (WP-104 3.1). */
    UNCOMMISSIONED(0),
    /** Provisioning Key installed (WP-104 3.2). */
    PROVISIONED(1),
    /** Provisioning and Integrator Key installed (WP-104 3.3). */
    INTEGRATED(2),
    /** An Operator Key is installed as well (WP-104 3.4); also when the OK was installed without an IK. */
    OPERATOR(3);

    private final int code;

    NodeState(int code) {
        this.code = code;
    }

    /** The UNSIGNED8 value of object 0x5F00. */
    public int code() {
        return code;
    }
}
