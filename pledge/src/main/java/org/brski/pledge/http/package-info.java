/**
 * The pledge's HTTPS transport to a registrar (BRSKI-EST, RFC 8995 section 5.1): provisional then pinned or
 * domain-anchored server trust, the IDevID or LDevID as client certificate, and bounded exchanges. Public for the
 * pledge's own packages and for tests; applications use {@link org.brski.pledge.Pledge}.
 */
package org.brski.pledge.http;
