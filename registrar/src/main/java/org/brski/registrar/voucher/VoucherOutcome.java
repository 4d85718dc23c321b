package org.brski.registrar.voucher;

import java.time.Duration;
import java.util.Objects;

/**
 * What the registrar answers a pledge voucher-request with: the voucher, "come back later" (RFC 8995 5.6), or, with
 * compat nqminds, the acknowledgement of an empty probe POST.
 */
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

    /**
     * The nqminds pledge's empty probe POST (compat nqminds only): it posts nothing to learn the registrar's TLS
     * certificate and ignores the answer. Answered 400 with a problem saying so, not counted as a refused
     * voucher-request: no device state is touched.
     */
    record Probe() implements VoucherOutcome {
        /** The problem detail of the answer. */
        public static final String DETAIL = "empty voucher-request: probe acknowledged (compat nqminds); POST the"
                + " signed voucher-request on this connection next";
    }
}
