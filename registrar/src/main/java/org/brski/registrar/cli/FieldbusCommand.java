package org.brski.registrar.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

import org.brski.fieldbus.FieldbusException;
import org.brski.registrar.RegistrarException;
import org.brski.registrar.admin.AdminJson;
import org.brski.registrar.admin.FieldbusJson;
import org.brski.registrar.config.RegistrarYaml;
import org.brski.registrar.fieldbus.FieldbusAdmin;
import org.brski.registrar.fieldbus.FieldbusFormat;
import org.brski.registrar.fieldbus.FileDomainKeyStore;
import org.brski.registrar.fieldbus.KeyRevision;
import org.brski.server.ConfigException;
import org.brski.server.ServerException;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code brski registrar fieldbus ...}: the fieldbus domain key service's operator commands (issue 8, EmSA WP-104
 * chapter 3) on the registrar's database and master key store, usable while registrars run.
 */
@Command(name = "fieldbus", mixinStandardHelpOptions = true,
        description = "Fieldbus domain keys: master key store, machines, labels, rotation, revocation.",
        subcommands = {FieldbusCommand.InitMaster.class, FieldbusCommand.Machines.class, FieldbusCommand.Status.class,
            FieldbusCommand.ImportLabels.class, FieldbusCommand.Rotate.class, FieldbusCommand.Revoke.class,
            FieldbusCommand.RemoveNode.class})
final class FieldbusCommand {

    /** Where the master key store is: the flags, else the configuration's {@code fieldbus} section. */
    static final class MasterOptions {
        @Option(names = "--master-key-store", paramLabel = "P12", description = "the master key store (overrides"
                + " fieldbus.masterKeyStore)")
        Path store;

        @Option(names = "--master-key-store-password-file", paramLabel = "FILE",
                description = "file holding its password (overrides fieldbus.masterKeyStorePasswordFile)")
        Path passwordFile;

        FileDomainKeyStore open(ConfigOptions options) throws ServerException {
            RegistrarYaml yaml = options.yaml();
            RegistrarYaml.Fieldbus file = yaml.fieldbus() == null ? new RegistrarYaml.Fieldbus(null, null)
                    : yaml.fieldbus();
            RegistrarYaml.Fieldbus merged = new RegistrarYaml.Fieldbus(
                    store != null ? store.toAbsolutePath().toString() : file.masterKeyStore(),
                    passwordFile != null ? passwordFile.toAbsolutePath().toString()
                            : file.masterKeyStorePasswordFile());
            return RegistrarYaml.masterKeyStore(options.base(), merged);
        }
    }

    /** A command on the fieldbus operations: configuration, database, master key store; failures as exit codes. */
    abstract static class FieldbusStoreCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ConfigOptions options;
        @Mixin
        MasterOptions master;

        abstract void run(FieldbusAdmin admin, PrintWriter out) throws RegistrarException;

        @Override
        public final Integer call() {
            FileDomainKeyStore keys;
            try {
                keys = master.open(options);
            } catch (ServerException e) {
                return Failures.report(spec.commandLine().getErr(), e);
            }
            return StoreAccess.runOn(options, spec, access -> run(access.fieldbus(keys),
                    spec.commandLine().getOut()));
        }
    }

    @Command(name = "init-master", mixinStandardHelpOptions = true,
            description = "Create the master key store (PKCS#12, mode 0600) with a new random AES-256 master key."
                    + " Never overwrites a file.")
    static final class InitMaster implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--out", required = true, paramLabel = "P12", description = "the file to create")
        Path out;

        @Option(names = "--password-file", required = true, paramLabel = "FILE",
                description = "file holding the password to protect it with")
        Path passwordFile;

        @Override
        public Integer call() {
            char[] password = null;
            try {
                password = FileDomainKeyStore.readPassword(passwordFile);
            } catch (FieldbusException e) {
                return Failures.report(spec.commandLine().getErr(),
                        new ConfigException("--password-file", e.getMessage(), e));
            }
            try {
                FileDomainKeyStore.create(out, password);
                spec.commandLine().getOut().println("created " + out + " (keep it and its password safe: every"
                        + " machine's keys derive from it)");
                spec.commandLine().getOut().flush();
                return 0;
            } catch (FieldbusException e) {
                return Failures.report(spec.commandLine().getErr(), new ConfigException("--out", e.getMessage(), e));
            } finally {
                if (password != null) {
                    Arrays.fill(password, '\0');
                }
            }
        }
    }

    @Command(name = "machines", mixinStandardHelpOptions = true, description = "Add or list machines.",
            subcommands = {Machines.Add.class, Machines.ListMachines.class})
    static final class Machines {
        @Command(name = "add", mixinStandardHelpOptions = true,
                description = "Add a machine at key revision 1 with its controllers (enrolled devices' serial-numbers).")
        static final class Add extends FieldbusStoreCommand {
            @Parameters(index = "0", paramLabel = "MACHINE")
            String id;

            @Option(names = "--controller", required = true, paramLabel = "SERIAL",
                    description = "serial-number of a controller device (repeatable)")
            List<String> controllers;

            @Option(names = "--operator-key", description = "the machine also uses an Operator Key (WP-104 3.4)")
            boolean operatorKey;

            @Override
            void run(FieldbusAdmin admin, PrintWriter out) throws RegistrarException {
                out.println(AdminJson.pretty(FieldbusJson.machine(admin.addMachine(id, controllers, operatorKey))));
            }
        }

        @Command(name = "list", mixinStandardHelpOptions = true, description = "List machines as JSON.")
        static final class ListMachines extends FieldbusStoreCommand {
            @Override
            void run(FieldbusAdmin admin, PrintWriter out) throws RegistrarException {
                out.println(AdminJson.pretty(FieldbusJson.machines(admin.machines())));
            }
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "A machine's revisions and nodes (held revision, Key IDs, stale) as JSON.")
    static final class Status extends FieldbusStoreCommand {
        @Parameters(index = "0", paramLabel = "MACHINE")
        String id;

        @Override
        void run(FieldbusAdmin admin, PrintWriter out) throws RegistrarException {
            out.println(AdminJson.pretty(FieldbusJson.status(admin.status(id))));
        }
    }

    @Command(name = "import-labels", mixinStandardHelpOptions = true,
            description = "Import node Provisioning Keys from label data: CSV with header '"
                    + FieldbusAdmin.LABEL_HEADER + "', hex keys; all lines or none.")
    static final class ImportLabels extends FieldbusStoreCommand {
        @Parameters(index = "0", paramLabel = "MACHINE")
        String id;

        @Parameters(index = "1", paramLabel = "CSV")
        Path file;

        @Override
        void run(FieldbusAdmin admin, PrintWriter out) throws RegistrarException {
            byte[] csv;
            try {
                if (Files.size(file) > FieldbusAdmin.MAX_LABEL_BYTES) {
                    throw RegistrarException.tooLarge("a label file has at most "
                            + FieldbusAdmin.MAX_LABEL_BYTES + " bytes");
                }
                csv = Files.readAllBytes(file);
            } catch (java.io.IOException e) {
                throw RegistrarException.badRequest("bad-label-file", "cannot read " + file);
            }
            try {
                out.println("imported " + admin.importLabels(id, csv) + " node Provisioning Keys for " + id);
            } finally {
                Arrays.fill(csv, (byte) 0);
            }
        }
    }

    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = "Start a new key revision (new Integrator/Operator Key and Key IDs).")
    static final class Rotate extends FieldbusStoreCommand {
        @Parameters(index = "0", paramLabel = "MACHINE")
        String id;

        @Override
        void run(FieldbusAdmin admin, PrintWriter out) throws RegistrarException {
            print(out, admin.rotate(id));
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke a key revision: its packages are refused; revoking the current one rotates.")
    static final class Revoke extends FieldbusStoreCommand {
        @Parameters(index = "0", paramLabel = "MACHINE")
        String id;

        @Parameters(index = "1", paramLabel = "REVISION")
        int revision;

        @Override
        void run(FieldbusAdmin admin, PrintWriter out) throws RegistrarException {
            print(out, admin.revoke(id, revision));
        }
    }

    @Command(name = "remove-node", mixinStandardHelpOptions = true,
            description = "Remove a node (replaced or suspect): drops its Provisioning Key and rotates the machine's keys"
                    + " (WP-104 3.3).")
    static final class RemoveNode extends FieldbusStoreCommand {
        @Parameters(index = "0", paramLabel = "MACHINE")
        String id;

        @Parameters(index = "1", paramLabel = "NODE_SERIAL", converter = SerialConverter.class,
                description = "the node's serial number: decimal, or hex after 0x (as in label files)")
        long serial;

        @Override
        void run(FieldbusAdmin admin, PrintWriter out) throws RegistrarException {
            print(out, admin.removeNode(id, serial));
        }
    }

    /** A node serial as label files write it (decimal or {@code 0x} hex). */
    static final class SerialConverter implements picocli.CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return FieldbusFormat.unsigned32(value);
            } catch (NumberFormatException e) {
                throw new picocli.CommandLine.TypeConversionException(
                        "'" + value + "' is not a node serial (UNSIGNED32, decimal or 0x hex)");
            }
        }
    }

    private static void print(PrintWriter out, KeyRevision current) {
        out.println("machine " + current.machineId() + " now at revision " + current.revision() + " (IK "
                + FieldbusFormat.keyId(current.integratorKeyId()) + ")");
    }
}
