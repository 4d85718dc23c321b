/**
 * {@code brski registrar}: {@code serve} (prints {@code listening on https://HOST:PORT} when ready),
 * {@code manufacturers trust|distrust|list}, {@code devices list|show|approve|deny} and {@code audit SERIAL}. Operator
 * commands work on the registrar's database directly, so they also work while (several) registrars run on it.
 */
package org.brski.registrar.cli;
