package org.brski.cli.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.brski.pki.PkiException;
import org.brski.pki.PkiFiles;
import org.brski.pki.TestPki;

/**
 * The demo's working directory and what lives in it:
 *
 * <pre>
 * DIR/pki/               the test PKI (pki.json + PEM files, as written by {@code brski pki init})
 * DIR/masa-db.mv.db      the MASA's H2 database (devices, audit log; RFC 8995 5.8)
 * DIR/registrar-db.mv.db the registrar's H2 database (manufacturers, devices, vouchers, LDevIDs)
 * DIR/pledges/SERIAL/    each pledge's saved onboarding state (voucher, LDevID and key, domain CA)
 * DIR/fieldbus/          the domain master key store and the simulated machine's
 *                        node memories (brski demo and brski fieldbus)
 * </pre>
 *
 * <p>A second run reuses the PKI and the databases, so the MASA's audit log and the registrar's device history grow;
 * {@code --fresh} removes exactly these entries first (nothing else in DIR is touched).
 */
public final class Workspace {
    static final String PKI = "pki";
    static final String PLEDGES = "pledges";
    static final String FIELDBUS = "fieldbus";
    public static final String MASA_DB = "masa-db";
    public static final String REGISTRAR_DB = "registrar-db";

    private final Path dir;

    public Workspace(Path dir) {
        this.dir = Objects.requireNonNull(dir, "dir").toAbsolutePath().normalize();
    }

    public Path dir() {
        return dir;
    }

    public Path pkiDir() {
        return dir.resolve(PKI);
    }

    public Path pledgeState(String serial) {
        return dir.resolve(PLEDGES).resolve(serial);
    }

    /** The H2 file of one service ({@code DIR/NAME.mv.db}, H2 adds the suffix). */
    public Path h2File(String name) {
        return dir.resolve(name);
    }

    /** Where the fieldbus domain key store and the simulated machines live (label data is imported from memory). */
    public Path fieldbusDir() {
        return dir.resolve(FIELDBUS);
    }

    /** Whether a PKI from an earlier run is present. */
    boolean hasPki() {
        return Files.isRegularFile(pkiDir().resolve(PkiFiles.MANIFEST));
    }

    /** Removes the PKI, the H2 databases, the pledge states and the fieldbus state of an earlier run; nothing else. */
    public void clean() throws IOException {
        deleteTree(pkiDir());
        deleteTree(dir.resolve(PLEDGES));
        deleteTree(fieldbusDir());
        for (String db : List.of(MASA_DB, REGISTRAR_DB)) {
            for (String suffix : List.of(".mv.db", ".trace.db", ".lock.db")) {
                Files.deleteIfExists(dir.resolve(db + suffix));
            }
        }
    }

    /**
     * The PKI for {@code pledges} pledges: the one in DIR when present (it must hold enough pledges), else a new one
     * (P-256, serials BRSKI-0001...) written to DIR/pki.
     *
     * @return the PKI and whether it was created by this call
     * @throws PkiException when the existing PKI is unreadable or too small, or the new one cannot be written
     */
    public Prepared preparePki(int pledges) throws PkiException {
        if (hasPki()) {
            TestPki pki = PkiFiles.read(pkiDir());
            if (pki.serials().size() < pledges) {
                throw new PkiException(pkiDir() + " holds a PKI with " + pki.serials().size() + " pledge(s), fewer than"
                        + " the " + pledges + " asked for; run again with --fresh to generate a new one");
            }
            return new Prepared(pki, false);
        }
        TestPki pki = TestPki.builder().pledges(pledges).build();
        PkiFiles.write(pki, pkiDir(), false);
        return new Prepared(pki, true);
    }

    /** A PKI and whether this run generated it. */
    public record Prepared(TestPki pki, boolean created) {
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** A short form of {@code path} for printing: relative to the current directory when inside it. */
    public static String show(Path path) {
        Path cwd = Path.of("").toAbsolutePath();
        Path abs = path.toAbsolutePath().normalize();
        return Optional.of(abs).filter(p -> p.startsWith(cwd) && !p.equals(cwd)).map(p -> "./" + cwd.relativize(p))
                .orElse(abs.toString());
    }
}
