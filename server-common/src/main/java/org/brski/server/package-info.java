/**
 * What every BRSKI HTTPS service (MASA, registrar) shares, so that no module copies another: an HTTPS Jetty 12 server
 * with TLS 1.2/1.3 only and the client-certificate modes RFC 8995 needs ({@link org.brski.server.HttpsServer}), and the
 * checked exception family {@link org.brski.server.ServerException} that carries an RFC 9457 problem.
 *
 * <p>Sub-packages: {@code tls} (identities, client-certificate modes, SSL contexts), {@code http} (bounded bodies, media
 * types, problem responses, peer certificates, health and metrics handlers), {@code db} (JDBC data sources with Flyway
 * migrations, H2 or PostgreSQL) and {@code config} (strict YAML loading).
 */
package org.brski.server;
