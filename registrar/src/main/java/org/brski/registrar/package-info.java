/**
 * The BRSKI registrar (RFC 8995 section 5) and EST server (RFC 7030, RFC 8951) of a network domain.
 *
 * <p>Start it programmatically with {@link org.brski.registrar.RegistrarServer#start(org.brski.registrar.config.RegistrarConfig)}
 * or from the command line with {@code brski registrar serve}. Sub-packages by role: {@code voucher} (pledge and
 * registrar voucher-requests, RFC 8995 5.2-5.7), {@code est} (enrollment, RFC 7030), {@code policy} (which devices
 * may join, RFC 8995 5.3), {@code masa} (the MASA client and audit-log verification, RFC 8995 5.5 and 5.8),
 * {@code store} (JDBC persistence), {@code admin} (operator actions), {@code http} (thin Jetty handlers),
 * {@code config} and {@code cli}. Every refusal is a {@link org.brski.registrar.RegistrarException} carrying an
 * RFC 9457 problem.
 */
package org.brski.registrar;
