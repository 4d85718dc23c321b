/**
 * The registrar's side of the BRSKI-MASA connection (RFC 8995 sections 5.4, 5.5, 5.8): the narrow
 * {@link org.brski.registrar.masa.MasaClient} interface, its Jetty HttpClient implementation (TLS 1.2+, the registrar's
 * client certificate, pooled connections, bounded timeouts), and audit-log parsing and verification (5.8.1-5.8.3).
 */
package org.brski.registrar.masa;
