/**
 * Thin Jetty 12 handlers, one per endpoint, over the transport-free core: BRSKI ({@code /.well-known/brski/*},
 * RFC 8995 section 5) and EST ({@code /.well-known/est/*}, RFC 7030). They check method, media types and body size,
 * hand bytes and the TLS client certificate chain to the core, and answer problems as {@code application/problem+json}
 * (RFC 9457) with a log line.
 */
package org.brski.registrar.http;
