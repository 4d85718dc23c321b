package org.brski.cli.demo;

import java.io.PrintWriter;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The table printed after onboarding: one row per pledge, one column per fact a newcomer should see. */
final class Summary {
    private static final List<String> HEADER = List.of("SERIAL", "ASSERTION", "LDEVID SERIAL", "LDEVID NOT AFTER",
            "VOUCHER 5.1-5.7", "ENROLL 5.9");
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private Summary() {
    }

    /** Prints the table; failed pledges show the failure instead of the certificate. */
    static void table(PrintWriter out, List<PledgeOutcome> outcomes) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADER);
        for (PledgeOutcome o : outcomes) {
            if (o.result().isPresent()) {
                X509Certificate ldevid = o.result().get().ldevid();
                rows.add(List.of(o.serial(), o.result().get().voucher().assertion().yangName(),
                        ldevid.getSerialNumber().toString(16), DAY.format(ldevid.getNotAfter().toInstant()),
                        seconds(o.voucherTime()), seconds(o.enrollTime())));
            } else {
                rows.add(List.of(o.serial(), "-", "-", "-", seconds(o.voucherTime()), seconds(o.enrollTime())));
            }
        }
        int[] widths = new int[HEADER.size()];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder(" ");
            for (int i = 0; i < row.size(); i++) {
                boolean right = i >= 4;
                String cell = row.get(i);
                String pad = " ".repeat(widths[i] - cell.length());
                line.append(' ').append(right ? pad + cell : cell + pad).append(' ');
            }
            out.println(line.toString().stripTrailing());
        }
        for (PledgeOutcome o : outcomes) {
            o.failure().ifPresent(f -> out.println("  " + o.serial() + ": " + f));
        }
    }

    /** {@code 0.42 s}. */
    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.2f s", d.toNanos() / 1e9);
    }
}
