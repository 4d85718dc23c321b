package org.brski.e2e;

import java.nio.file.Path;
import org.brski.cli.demo.DemoServices;
import org.brski.pki.TestPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The full flow with MASA, registrar and pledges in this JVM, on in-memory H2. */
class InProcessFlowTest {
    @TempDir
    Path dir;

    @Test
    void fourPledgesOnboardReportAndReenroll() throws Exception {
        TestPki pki = TestPki.builder().pledges(4).build();
        try (DemoServices domain = DemoServices.start(pki, dir, DemoServices.Databases.h2Memory(), 0, 0)) {
            FullFlow.run(domain, pki, pki.serials());
        }
    }
}
