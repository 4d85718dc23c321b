package org.brski.interop.cases;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
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
     * @throws IllegalStateException if two cases share an id, or a case's positive control is not an earlier case (a
     *     programming error)
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
            c.control().filter(control -> !ids.contains(control)).ifPresent(control -> {
                throw new IllegalStateException("case " + c.id() + " needs " + control + ", which is not an earlier"
                        + " case");
            });
            if (!ids.add(c.id())) {
                throw new IllegalStateException("duplicate case id " + c.id());
            }
        }
        return List.copyOf(all);
    }

    /**
     * The cases {@code wanted} selects, with the positive cases they depend on (transitively), in catalogue order: a
     * case run without its positive control is not applicable.
     */
    public static List<InteropCase> select(Predicate<InteropCase> wanted) {
        List<InteropCase> all = all();
        Map<String, InteropCase> byId = new HashMap<>();
        all.forEach(c -> byId.put(c.id(), c));
        Set<String> chosen = new HashSet<>();
        for (InteropCase c : all) {
            InteropCase next = wanted.test(c) ? c : null;
            while (next != null && chosen.add(next.id())) {
                next = next.control().map(byId::get).orElse(null);
            }
        }
        return all.stream().filter(c -> chosen.contains(c.id())).toList();
    }
}
