/**
 * The registrar's domain key service for fieldbus machines (EmSA WP-104 chapter 3, issue 8 "domain side"): one
 * Integrator Key per machine (and optionally an Operator Key) derived from a domain master key
 * ({@code fieldbus/DESIGN.md} "Domain keys"), rotation and revocation by key revision, node Provisioning Keys imported
 * from label data or escrowed by the commissioning controller, delivery of RFC 6031 key packages in CMS EnvelopedData
 * to the controller's LDevID, and the record of which revision each node holds.
 *
 * <p>{@link org.brski.registrar.fieldbus.FieldbusKeyService} is transport free; the HTTP handlers, admin API and CLI
 * put it on the wire. The master key stays inside a {@link org.brski.registrar.fieldbus.DomainKeyStore}.
 */
package org.brski.registrar.fieldbus;
