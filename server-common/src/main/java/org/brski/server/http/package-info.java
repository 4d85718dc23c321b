/**
 * Helpers for thin Jetty 12 handlers: bounded bodies (413), Content-Type and Accept checks (415, 406, RFC 9110),
 * RFC 9457 problem responses, the TLS peer certificate chain, and the {@code /healthz} and Prometheus
 * {@code /metrics} handlers.
 */
package org.brski.server.http;
