/**
 * A BRSKI (RFC 8995) test PKI: the manufacturer's CA with its pledges' IDevIDs and the MASA's certificates, and the
 * owner's domain CA with its registrar, built in memory with Bouncy Castle and optionally stored on disk.
 *
 * <p>{@link org.brski.pki.HeldCertificate} is one key pair with its certificate and issuer chain (modelled on
 * okhttp-tls); {@link org.brski.pki.TestPki} assembles the whole BRSKI cast; {@link org.brski.pki.PkiFiles} writes it
 * as PEM files plus a {@code pki.json} manifest and reads it back. Keys are generated and used by the shared Bouncy
 * Castle provider instance ({@link org.brski.pkix.Crypto#provider()}), never the JVM's default one.
 *
 * <p>Nothing here is meant for production keys: private keys are written unencrypted (owner-only where the file
 * system allows).
 */
package org.brski.pki;
