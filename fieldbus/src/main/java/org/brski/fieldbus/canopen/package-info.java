/**
 * CANopen (CiA 301) object dictionary access by SDO over a simulated classical CAN / CAN FD bus that accounts every
 * frame's bits and bus time (EmSA WP-104 chapter 6).
 *
 * <ul>
 * <li>{@link org.brski.fieldbus.canopen.ObjectDictionary} — what a node serves; refusals are
 * {@link org.brski.fieldbus.canopen.SdoAbort}s with CiA 301 abort codes.</li>
 * <li>{@link org.brski.fieldbus.canopen.CanFrame}, {@link org.brski.fieldbus.canopen.BusKind} — ISO 11898-1 base
 * frames; CAN FD payloads padded to valid lengths.</li>
 * <li>{@link org.brski.fieldbus.canopen.FrameTiming} — bits per frame (unstuffed and worst case) and duration.</li>
 * <li>{@link org.brski.fieldbus.canopen.CanBus}, {@link org.brski.fieldbus.canopen.BusStats} — the in-process bus and
 * its accounting, including the minimum bus time of the payload moved.</li>
 * <li>{@link org.brski.fieldbus.canopen.SdoServer}, {@link org.brski.fieldbus.canopen.SdoClient},
 * {@link org.brski.fieldbus.canopen.Nmt} — expedited and segmented SDO (63-byte segments on CAN FD) and NMT reset.</li>
 * </ul>
 * Frame layouts, timing formulas and sources: {@code fieldbus/CANOPEN.md}.
 */
package org.brski.fieldbus.canopen;
