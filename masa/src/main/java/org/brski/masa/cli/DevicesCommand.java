package org.brski.masa.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Callable;
import org.brski.masa.MasaException;
import org.brski.masa.store.Device;
import org.brski.masa.store.JdbcMasaStore;
import org.brski.masa.store.MasaStore;
import org.brski.masa.store.Ownership;
import org.brski.pki.PkiException;
import org.brski.pki.PkiFiles;
import org.brski.pki.TestPki;
import org.brski.pkix.DeviceCertificates;
import org.brski.pkix.Pem;
import org.brski.pkix.PkixException;
import org.brski.server.ServerException;
import org.brski.server.db.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code brski masa devices}: the registry of devices this manufacturer made; vouchers go to registered ones only. */
@Command(name = "devices", mixinStandardHelpOptions = true, description = "Manage the device registry.",
        subcommands = {DevicesCommand.Import.class, DevicesCommand.Add.class, DevicesCommand.ListDevices.class})
final class DevicesCommand {

    /** {@code devices import --pki DIR}: registers every pledge of a test PKI. */
    @Command(name = "import", mixinStandardHelpOptions = true, description = "Register the pledges of a test PKI.")
    static final class Import implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        StoreOptions store;
        @Option(names = "--pki", required = true, paramLabel = "DIR", description = "directory of brski pki init")
        Path pki;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            TestPki testPki;
            try {
                testPki = PkiFiles.read(pki);
            } catch (PkiException e) {
                err.println("error: --pki: " + e.getMessage());
                return Failures.CONFIG;
            }
            try (Database db = store.open()) {
                MasaStore masaStore = new JdbcMasaStore(db.dataSource());
                int added = 0;
                for (String serial : testPki.serials()) {
                    if (masaStore.addDevice(new Device(serial, Ownership.byDefault(), now()))) {
                        added++;
                    }
                }
                spec.commandLine().getOut().println("imported " + added + " device(s), "
                        + (testPki.serials().size() - added) + " already registered");
                return 0;
            } catch (ServerException e) {
                return Failures.report(err, e);
            } catch (MasaException e) {
                return Failures.report(err, e);
            }
        }
    }

    /** {@code devices add SERIAL [--owner-ca PEM]}. */
    @Command(name = "add", mixinStandardHelpOptions = true, description = "Register one device.")
    static final class Add implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        StoreOptions store;
        @Parameters(paramLabel = "SERIAL", description = "the X520 serialNumber of the device's IDevID")
        String serial;
        @Option(names = "--owner-ca", paramLabel = "PEM", description = "bind the device to this domain CA")
        Path ownerCa;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            Ownership ownership;
            try {
                Device.requireSerial(serial);
                ownership = ownerCa == null ? Ownership.byDefault() : OwnersCommand.boundTo(ownerCa);
            } catch (IllegalArgumentException | PkixException e) {
                err.println("error: " + e.getMessage());
                return Failures.CONFIG;
            }
            try (Database db = store.open()) {
                MasaStore masaStore = new JdbcMasaStore(db.dataSource());
                if (!masaStore.addDevice(new Device(serial, ownership, now()))) {
                    err.println("error: device " + serial + " is already registered; use 'owners set' to change it");
                    return Failures.RUNTIME;
                }
                spec.commandLine().getOut().println("added " + serial + " (" + ownership + ")");
                return 0;
            } catch (ServerException e) {
                return Failures.report(err, e);
            } catch (MasaException e) {
                return Failures.report(err, e);
            }
        }
    }

    /** {@code devices list}: one line per device, {@code SERIAL OWNERSHIP ADDED}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List registered devices.")
    static final class ListDevices implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        StoreOptions store;

        @Override
        public Integer call() {
            try (Database db = store.open()) {
                MasaStore masaStore = new JdbcMasaStore(db.dataSource());
                PrintWriter out = spec.commandLine().getOut();
                int offset = 0;
                List<Device> page;
                do {
                    page = masaStore.devices(offset, 500);
                    for (Device d : page) {
                        out.println(d.serialNumber() + "\t" + d.ownership() + "\t" + d.addedAt());
                    }
                    offset += page.size();
                } while (!page.isEmpty());
                out.flush();
                return 0;
            } catch (ServerException e) {
                return Failures.report(spec.commandLine().getErr(), e);
            } catch (MasaException e) {
                return Failures.report(spec.commandLine().getErr(), e);
            }
        }
    }

    static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }

    /** The owner key identifier of the CA in {@code pem}: derived from its key, never its SKI extension. */
    static byte[] keyIdOf(Path pem) throws PkixException {
        return DeviceCertificates.spkiKeyIdentifier(Pem.readCertificate(pem));
    }
}
