package org.brski.voucher;

import java.util.Objects;
import org.brski.voucher.cms.VerifiedContent;

/**
 * A parsed artifact together with the CMS facts that vouch for it: who signed it, which certificates came with it,
 * and the path it was validated on.
 *
 * @param artifact the parsed {@link Voucher} or {@link VoucherRequest}
 * @param cms      the verified signature envelope
 * @param <T>      the artifact type
 */
public record Verified<T>(T artifact, VerifiedContent cms) {
    public Verified {
        Objects.requireNonNull(artifact, "artifact");
        Objects.requireNonNull(cms, "cms");
    }
}
