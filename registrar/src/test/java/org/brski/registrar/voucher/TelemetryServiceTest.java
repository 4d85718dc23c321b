package org.brski.registrar.voucher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.brski.pki.HeldCertificate;
import org.brski.registrar.policy.Approval;
import org.brski.registrar.store.JdbcRegistrarStore;
import org.brski.registrar.store.RegistrarStore;
import org.brski.registrar.store.VoucherRecord;
import org.brski.server.db.Database;
import org.brski.server.db.DatabaseConfig;
import org.brski.server.db.Databases;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/** Pledge telemetry reaches the operator's log only as printable text. */
class TelemetryServiceTest {
    @Test
    void aReasonWithLineBreaksCannotForgeLogLines() throws Exception {
        try (Database database = Databases.open(DatabaseConfig.h2Memory("telemetry-" + UUID.randomUUID()),
                JdbcRegistrarStore.MIGRATIONS, JdbcRegistrarStore.HISTORY_TABLE)) {
            RegistrarStore store = JdbcRegistrarStore.of(database.dataSource(), Clock.systemUTC());
            HeldCertificate idevid = HeldCertificate.builder().commonName("d").serialNumberAttribute("TELE-1").build();
            store.recordVoucher(VoucherRecord.of("TELE-1", Instant.now(), Optional.of("n"),
                    URI.create("https://masa/.well-known/brski"), new byte[] {1}, new byte[] {2}, new byte[] {3}),
                    "acme", idevid.certificate(), Approval.AUTO);
            TelemetryService telemetry = new TelemetryService(store, Clock.systemUTC());
            Logger logger = (Logger) LoggerFactory.getLogger(TelemetryService.class);
            ListAppender<ILoggingEvent> appender = new ListAppender<>();
            appender.start();
            logger.addAppender(appender);
            try {
                String forged = "{\"version\":1,\"status\":false,\"reason\":\"bad\\r\\n12:00:00.000 WARN admin login"
                        + " ok\",\"x\\ny\":1}";
                telemetry.voucherStatus(forged.getBytes(StandardCharsets.UTF_8), List.of(idevid.certificate()));
                telemetry.enrollStatus(forged.getBytes(StandardCharsets.UTF_8), List.of(idevid.certificate()));
            } finally {
                logger.detachAppender(appender);
            }
            assertEquals(4, appender.list.size());
            for (ILoggingEvent event : appender.list) {
                String line = event.getFormattedMessage();
                assertFalse(line.contains("\n") || line.contains("\r"), line);
            }
            assertEquals("bad\r\n12:00:00.000 WARN admin login ok", store.device("TELE-1").orElseThrow()
                    .voucherStatus().orElseThrow().reason().orElseThrow(), "the stored report is unchanged");
        }
    }
}
