/**
 * CANopen (CiA 301) object dictionary access by SDO over a simulated classical CAN / CAN FD bus that accounts every
 * frame's bits and bus time.
 */
package org.brski.fieldbus.canopen;
