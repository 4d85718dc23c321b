/**
 * The Manufacturer Authorized Signing Authority (RFC 8995 sections 5.4-5.8): it issues vouchers to registrars for the
 * devices it made, under an ownership policy, and keeps the audit log registrars read.
 *
 * <p>Packages: {@code voucher} (the transport-free core: verify registrar voucher-requests, issue signed vouchers),
 * {@code audit} (audit-log responses, RFC 8995 section 5.8), {@code store} (device registry and audit log storage),
 * {@code http} (thin Jetty handlers, server assembly, metrics), {@code config} (YAML configuration) and {@code cli}
 * ({@code brski masa} commands). Every refusal is a {@link org.brski.masa.MasaException} with a {@link
 * org.brski.masa.Refusal}.
 */
package org.brski.masa;
