/**
 * TLS for BRSKI services: identities (key, certificate, chain) from PEM or PKCS#12, the client-certificate modes
 * (none, provisional accept-any per RFC 8995 section 5.1, trusted), and SSL contexts restricted to TLS 1.2/1.3
 * (RFC 8995 section 5.4).
 */
package org.brski.server.tls;
