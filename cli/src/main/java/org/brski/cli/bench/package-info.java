/**
 * {@code brski bench}: onboarding throughput, latency percentiles (whole and per RFC 8995 phase) and process CPU per
 * onboarding, with a MASA and a registrar in process and the pledge library over real TLS on 127.0.0.1. Speed is
 * reported by this harness and by JMH, never asserted by unit tests.
 */
package org.brski.cli.bench;
