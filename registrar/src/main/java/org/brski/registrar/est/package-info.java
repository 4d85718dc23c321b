/**
 * EST for BRSKI pledges (RFC 7030 section 4, RFC 8951, RFC 8995 section 5.9): CA certificates, CSR attributes,
 * enrollment, re-enrollment and server-side key generation, with certs-only PKCS#7 and base64 bodies. The domain CA's
 * key sits behind {@link org.brski.registrar.est.DomainCa}, so that a file key can later give way to PKCS#11.
 * Transport-free: bytes and certificates in, bytes out.
 */
package org.brski.registrar.est;
