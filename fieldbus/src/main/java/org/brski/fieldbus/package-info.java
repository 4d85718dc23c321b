/**
 * EmSA WP-104 "Key Provisioning for Minimal Fieldbus Systems" on simulated CANopen nodes: the node model
 * ({@code node}), its primitives ({@code crypto}), the CANopen object dictionary and SDO transport over a simulated
 * CAN / CAN FD bus ({@code canopen}), and the RFC 6031 symmetric key packages that carry a machine's keys from the
 * domain (registrar) to the machine controller (pledge) ({@code keys}).
 */
package org.brski.fieldbus;
