/**
 * JDBC storage shared by BRSKI services: a {@link org.brski.server.db.DatabaseConfig} (H2 embedded file database by
 * default, PostgreSQL by JDBC URL) opened as a HikariCP pool and migrated by Flyway from the module's own scripts.
 */
package org.brski.server.db;
