/**
 * EST (RFC 7030) message formats for a BRSKI pledge (RFC 8995 section 5.9): base64 DER bodies (RFC 8951), certs-only
 * PKCS#7, CSR attributes, PKCS#10 requests and LDevID key generation on Bouncy Castle. No transport here.
 */
package org.brski.pledge.est;
