package org.brski.fieldbus.node;

import java.util.Objects;

import org.brski.fieldbus.canopen.Cia301;

/**
 * The fixed, non-secret configuration of a simulated node: CANopen node id, the CiA 301 identity (object 0x1018), device
 * type (0x1000), the {@link SessionProfile} shared with clients, and the verification-failure budget of each base key
 * (EmSA WP-104 5: "a deployment that truncates must bound the number of accepted verification failures"). The salt
 * length is fixed at {@link #SALT_LENGTH} bytes (WP-104 4.1 leaves it to the profile). Immutable; validated on build.
 */
public final class NodeConfig {
    /** Salt length in bytes (DESIGN.md, 0x5F03). */
    public static final int SALT_LENGTH = SessionKeys.SALT_LENGTH;
    /** Default failure budget per base key (DESIGN.md "Secure messages"). */
    public static final int DEFAULT_MAX_FAILED_VERIFICATIONS = 16;
    /** Default device type: CiA 401 generic I/O with digital outputs (profile 0x0191, additional info bit 1). */
    public static final long DEFAULT_DEVICE_TYPE = 0x00020191L;

    private final int nodeId;
    private final long vendorId;
    private final long productCode;
    private final long serialNumber;
    private final long deviceType;
    private final SessionProfile profile;
    private final int maxFailedVerifications;

    private NodeConfig(Builder b) {
        this.nodeId = checkNodeId(b.nodeId);
        this.vendorId = unsigned32("vendorId", b.vendorId);
        this.productCode = unsigned32("productCode", b.productCode);
        this.serialNumber = unsigned32("serialNumber", b.serialNumber);
        this.deviceType = unsigned32("deviceType", b.deviceType);
        this.profile = Objects.requireNonNull(b.profile, "profile");
        if (b.maxFailedVerifications < 1) {
            throw new IllegalArgumentException("maxFailedVerifications must be at least 1");
        }
        this.maxFailedVerifications = b.maxFailedVerifications;
    }

    /** A builder for node {@code nodeId} (1..127) with defaults for everything else. */
    public static Builder builder(int nodeId) {
        return new Builder(nodeId);
    }

    /** Node {@code nodeId} with serial number {@code serialNumber} and defaults otherwise. */
    public static NodeConfig of(int nodeId, long serialNumber) {
        return builder(nodeId).serialNumber(serialNumber).build();
    }

    /** Refuses node ids outside the CANopen range 1..127 (CiA 301, {@link Cia301#checkNodeId}). */
    public static int checkNodeId(int nodeId) {
        return Cia301.checkNodeId(nodeId);
    }

    private static long unsigned32(String name, long value) {
        if (value < 0 || value > 0xFFFFFFFFL) {
            throw new IllegalArgumentException(name + " must be an UNSIGNED32");
        }
        return value;
    }

    public int nodeId() {
        return nodeId;
    }

    /** 0x1018:1. */
    public long vendorId() {
        return vendorId;
    }

    /** 0x1018:2. */
    public long productCode() {
        return productCode;
    }

    /** 0x1018:4, identifies the node to the key service. */
    public long serialNumber() {
        return serialNumber;
    }

    /** 0x1000. */
    public long deviceType() {
        return deviceType;
    }

    public SessionProfile profile() {
        return profile;
    }

    /** Failed verifications after which a base key is locked. */
    public int maxFailedVerifications() {
        return maxFailedVerifications;
    }

    /** A builder preset with this configuration. */
    public Builder toBuilder() {
        return builder(nodeId).vendorId(vendorId).productCode(productCode).serialNumber(serialNumber)
                .deviceType(deviceType).profile(profile).maxFailedVerifications(maxFailedVerifications);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodeConfig c && c.nodeId == nodeId && c.vendorId == vendorId && c.productCode == productCode
                && c.serialNumber == serialNumber && c.deviceType == deviceType && c.profile.equals(profile)
                && c.maxFailedVerifications == maxFailedVerifications;
    }

    @Override
    public int hashCode() {
        return Objects.hash(nodeId, vendorId, productCode, serialNumber, deviceType, profile, maxFailedVerifications);
    }

    @Override
    public String toString() {
        return String.format("NodeConfig[node %d, vendor 0x%08X, product 0x%08X, serial %d, %s, max failures %d]",
                nodeId, vendorId, productCode, serialNumber, profile, maxFailedVerifications);
    }

    /** Collects the values; {@link #build()} validates them. */
    public static final class Builder {
        private final int nodeId;
        private long vendorId;
        private long productCode;
        private long serialNumber;
        private long deviceType = DEFAULT_DEVICE_TYPE;
        private SessionProfile profile = SessionProfile.defaults();
        private int maxFailedVerifications = DEFAULT_MAX_FAILED_VERIFICATIONS;

        private Builder(int nodeId) {
            this.nodeId = nodeId;
        }

        public Builder vendorId(long value) {
            this.vendorId = value;
            return this;
        }

        public Builder productCode(long value) {
            this.productCode = value;
            return this;
        }

        public Builder serialNumber(long value) {
            this.serialNumber = value;
            return this;
        }

        public Builder deviceType(long value) {
            this.deviceType = value;
            return this;
        }

        public Builder profile(SessionProfile value) {
            this.profile = value;
            return this;
        }

        public Builder maxFailedVerifications(int value) {
            this.maxFailedVerifications = value;
            return this;
        }

        /** @throws IllegalArgumentException for an out-of-range value */
        public NodeConfig build() {
            return new NodeConfig(this);
        }
    }
}
