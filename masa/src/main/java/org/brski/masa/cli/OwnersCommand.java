package org.brski.masa.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.brski.masa.MasaException;
import org.brski.masa.store.JdbcMasaStore;
import org.brski.masa.store.Ownership;
import org.brski.pkix.PkixException;
import org.brski.server.ServerException;
import org.brski.server.db.Database;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code brski masa owners}: who may claim a device (RFC 8995 sections 5.5.4 and 7.4). */
@Command(name = "owners", mixinStandardHelpOptions = true, description = "Manage device ownership.",
        subcommands = {OwnersCommand.Set.class})
final class OwnersCommand {

    /** The ownership of a device bound to the domain CA in {@code pem} (its key identifier). */
    static Ownership boundTo(Path pem) throws PkixException {
        return Ownership.boundTo(DevicesCommand.keyIdOf(pem));
    }

    /** {@code owners set SERIAL --domain-ca PEM | --open | --default}. */
    @Command(name = "set", mixinStandardHelpOptions = true, description = "Set a device's owner.")
    static final class Set implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        StoreOptions store;
        @Parameters(paramLabel = "SERIAL")
        String serial;
        @ArgGroup(exclusive = true, multiplicity = "1")
        Choice choice;

        static final class Choice {
            @Option(names = "--domain-ca", paramLabel = "PEM",
                    description = "only registrars of this domain CA get (verified) vouchers")
            Path domainCa;
            @Option(names = "--open", description = "any registrar gets (logged) vouchers")
            boolean open;
            @Option(names = "--default", description = "follow the MASA's policy.defaultOwnership")
            boolean byDefault;
        }

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            Ownership ownership;
            try {
                ownership = choice.domainCa != null ? boundTo(choice.domainCa)
                        : choice.open ? Ownership.open() : Ownership.byDefault();
            } catch (PkixException e) {
                err.println("error: --domain-ca: " + e.getMessage());
                return Failures.CONFIG;
            }
            try (Database db = store.open()) {
                if (!new JdbcMasaStore(db.dataSource()).setOwnership(serial, ownership)) {
                    err.println("error: no device " + serial + " is registered");
                    return Failures.RUNTIME;
                }
                spec.commandLine().getOut().println(serial + " is now " + ownership);
                return 0;
            } catch (ServerException e) {
                return Failures.report(err, e);
            } catch (MasaException e) {
                return Failures.report(err, e);
            }
        }
    }
}
