/**
 * The voucher flow of the registrar (RFC 8995 sections 5.2-5.8): validating the pledge voucher-request against the
 * pledge's TLS client certificate, admission policy, building and signing the registrar voucher-request, obtaining
 * and verifying the MASA's voucher, the audit-log check, and status telemetry (5.7, 5.9.4). Transport-free: bytes and
 * certificates in, values out.
 */
package org.brski.registrar.voucher;
