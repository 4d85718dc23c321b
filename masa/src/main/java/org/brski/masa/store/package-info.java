/**
 * The MASA's storage: the device registry with ownership, and the audit log of issued vouchers (RFC 8995 section
 * 5.8), behind the narrow {@link org.brski.masa.store.MasaStore} interface; {@link org.brski.masa.store.JdbcMasaStore}
 * runs on H2 (embedded default) and PostgreSQL.
 */
package org.brski.masa.store;
