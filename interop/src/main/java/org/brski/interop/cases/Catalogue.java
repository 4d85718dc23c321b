package org.brski.interop.cases;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.brski.interop.InteropCase;

/** The whole case catalogue, in run order: registrar voucher cases, dialect, EST, telemetry, then the MASA. */
public final class Catalogue {
    /**
     * The cases that issue a fresh IDevID from the manufacturer CA: not applicable without its key (a --pki directory
     * or --manufacturer-ca with --manufacturer-key).
     */
    public static final List<String> NEEDS_MANUFACTURER_KEY = List.of("est-simpleenroll-without-voucher",
            "masa-unknown-device");

    private Catalogue() {
    }

    /**
     * Every case.
     *
     * @throws IllegalStateException if two cases share an id (a programming error)
     */
    public static List<InteropCase> all() {
        List<InteropCase> all = new ArrayList<>();
        all.addAll(VoucherCases.all());
        all.addAll(DialectCases.all());
        all.addAll(EncodingCases.all());
        all.addAll(EstCases.all());
        all.addAll(TelemetryCases.all());
        all.addAll(MasaCases.all());
        Set<String> ids = new HashSet<>();
        for (InteropCase c : all) {
            if (!ids.add(c.id())) {
                throw new IllegalStateException("duplicate case id " + c.id());
            }
        }
        return List.copyOf(all);
    }
}
