/**
 * Which pledges may join the domain (RFC 8995 section 5.3, 11.5): manufacturers trusted by their IDevID-issuing CA,
 * each with its MASA trust anchors and an optional MASA URL override (RFC 8995 5.4), an approval mode (auto-accept or
 * hold for an operator), and per-device allow/deny decisions. Also the audit-log policy (RFC 8995 5.8.3).
 */
package org.brski.registrar.policy;
