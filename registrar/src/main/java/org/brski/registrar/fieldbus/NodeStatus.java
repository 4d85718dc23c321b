package org.brski.registrar.fieldbus;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One node of a machine as the domain knows it.
 *
 * @param provisioningKeyId Key ID of its stored Provisioning Key, if one is stored
 * @param source            where that key came from
 * @param report            the controller's latest report, if any
 * @param stale             true unless the latest report says {@code ok}, {@code commissioned} or {@code up-to-date} with the current revision and its Key IDs
 */
public record NodeStatus(long nodeSerial, OptionalLong provisioningKeyId, Optional<KeySource> source,
        Optional<NodeReport> report, boolean stale) {
    public NodeStatus {
        Objects.requireNonNull(provisioningKeyId, "provisioningKeyId");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(report, "report");
    }
}
