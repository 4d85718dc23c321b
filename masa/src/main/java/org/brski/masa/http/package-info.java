/**
 * The MASA over HTTPS: one thin Jetty handler per endpoint ({@code /.well-known/brski/requestvoucher},
 * {@code /.well-known/brski/requestauditlog}, {@code /healthz}, {@code /metrics}), metrics, and
 * {@link org.brski.masa.http.MasaServer}, which assembles store, core and server from {@link
 * org.brski.masa.config.MasaSettings}.
 */
package org.brski.masa.http;
