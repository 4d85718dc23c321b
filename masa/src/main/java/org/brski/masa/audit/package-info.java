/** The MASA audit log as registrars read it (RFC 8995 sections 5.8.1 and 5.8.2): transport-free responder. */
package org.brski.masa.audit;
