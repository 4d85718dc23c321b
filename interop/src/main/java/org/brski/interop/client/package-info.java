/**
 * The suite's client side: HTTPS sessions to a registrar or MASA over the pledge's bounded client
 * ({@link org.brski.pledge.http.RegistrarClient}), voucher-request and CSR construction including deliberately broken
 * variants, and the voucher checks of RFC 8995 5.6.1/5.6.2.
 */
package org.brski.interop.client;
