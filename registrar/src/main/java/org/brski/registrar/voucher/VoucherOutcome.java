package org.brski.registrar.voucher;

import java.time.Duration;
import java.util.Objects;

/** What the registrar answers a pledge voucher-request with: the voucher, or "come back later" (RFC 8995 5.6). */
public sealed interface VoucherOutcome {
    /** 200: the MASA's voucher, byte for byte as the MASA sent it. */
    record Issued(byte[] voucher, String mediaType) implements VoucherOutcome {
        public Issued {
            voucher = voucher.clone();
            Objects.requireNonNull(mediaType, "mediaType");
        }

        @Override
        public byte[] voucher() {
            return voucher.clone();
        }
    }

    /** 202 + Retry-After: held for an operator's approval (RFC 8995 5.6, RFC 7030 4.2.3). */
    record Pending(Duration retryAfter) implements VoucherOutcome {
        public Pending {
            Objects.requireNonNull(retryAfter, "retryAfter");
        }
    }
}
