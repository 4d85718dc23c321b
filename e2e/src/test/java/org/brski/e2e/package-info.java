/**
 * End-to-end tests of the whole system (RFC 8995 with RFC 7030 EST and RFC 8366 vouchers): in process, through the
 * {@code brski} command line as separate processes, the {@code brski demo} command, stock tools ({@code curl},
 * {@code openssl}) and Bouncy Castle's EST client as independent peers, and PostgreSQL.
 */
package org.brski.e2e;
