/** The primitives of EmSA WP-104 chapter 5: HKDF-SHA-256, AES-128-GCM with truncated tags, key strength rules. */
package org.brski.fieldbus.crypto;
