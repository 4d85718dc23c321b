/**
 * X.509 helpers shared by every BRSKI module: PEM input and output, the attributes BRSKI reads from device
 * certificates (RFC 8995 section 2.3), key identifiers, and certification path validation at a chosen time.
 *
 * <p>All cryptography goes through one Bouncy Castle provider instance ({@link org.brski.pkix.Crypto#provider()}),
 * which is faster than SunEC for ECDSA and is never installed globally.
 */
package org.brski.pkix;
