/**
 * Persistence of the registrar: the narrow {@link org.brski.registrar.store.RegistrarStore} interface and its JDBC
 * implementation on H2 (embedded default) or PostgreSQL, migrated by Flyway from {@code db/migration/registrar}. All
 * state lives in the database, so several registrar instances may share one PostgreSQL.
 */
package org.brski.registrar.store;
