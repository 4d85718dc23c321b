/** A machine's fieldbus segment simulated in process: WP-104 nodes as SDO servers on a simulated CAN bus. */
package org.brski.fieldbus.machine;
