/**
 * The node side of EmSA WP-104 "Key Provisioning for Minimal Fieldbus Systems" (v1.12) and the client helpers that
 * talk to it, transport free (bytes in, bytes out).
 *
 * <ul>
 * <li>{@link org.brski.fieldbus.node.FieldbusNode} — the lifecycle state machine of chapter 3 (uncommissioned state and
 * commissioning marker 3.1, Provisioning Key 3.2, Integrator Key 3.3, Operator Key 3.4, Key IDs 3.5, factory restore
 * 3.6), the salt slot of 4.1 and the CANopen object dictionary of chapter 6, as fixed in {@code fieldbus/DESIGN.md}.</li>
 * <li>{@link org.brski.fieldbus.node.SessionKeys} — session-key derivation (4.2, chapter 5), shared by both peers.</li>
 * <li>{@link org.brski.fieldbus.node.SecureMessage} — the authenticated write/reply codec that consumes the session key
 * (the "downstream protocol" of 4.3), with AES-GCM tags of 32..128 bits (chapter 5).</li>
 * <li>{@link org.brski.fieldbus.node.SecureChannel} — the client end of a session (commissioning tool, controller).</li>
 * </ul>
 * Base keys never leave the node through the object dictionary and session keys are never transmitted (chapter 4).
 */
package org.brski.fieldbus.node;
