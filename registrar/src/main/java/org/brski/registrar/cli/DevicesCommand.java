package org.brski.registrar.cli;

import java.util.concurrent.Callable;

import org.brski.registrar.admin.AdminJson;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code brski registrar devices list|show|approve|deny}. */
@Command(name = "devices", mixinStandardHelpOptions = true,
        description = "List, show, approve or deny devices (by serial-number).",
        subcommands = {DevicesCommand.ListCommand.class, DevicesCommand.ShowCommand.class,
            DevicesCommand.ApproveCommand.class, DevicesCommand.DenyCommand.class})
final class DevicesCommand {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List devices as JSON.")
    static final class ListCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ConfigOptions options;

        @Override
        public Integer call() {
            return StoreAccess.run(options, spec, admin -> spec.commandLine().getOut()
                    .println(AdminJson.pretty(AdminJson.devices(admin.devices()))));
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Show a device: approval, vouchers, telemetry, audit verdict, IDevID.")
    static final class ShowCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ConfigOptions options;
        @Parameters(index = "0", paramLabel = "SERIAL")
        String serial;

        @Override
        public Integer call() {
            return StoreAccess.run(options, spec, admin -> spec.commandLine().getOut()
                    .println(AdminJson.pretty(AdminJson.device(admin.device(serial), true))));
        }
    }

    @Command(name = "approve", mixinStandardHelpOptions = true,
            description = "Approve a device (also before it is first seen).")
    static final class ApproveCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ConfigOptions options;
        @Parameters(index = "0", paramLabel = "SERIAL")
        String serial;

        @Override
        public Integer call() {
            return StoreAccess.run(options, spec, admin -> {
                admin.approve(serial);
                spec.commandLine().getOut().println("approved " + serial);
            });
        }
    }

    @Command(name = "deny", mixinStandardHelpOptions = true, description = "Deny a device.")
    static final class DenyCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ConfigOptions options;
        @Parameters(index = "0", paramLabel = "SERIAL")
        String serial;

        @Override
        public Integer call() {
            return StoreAccess.run(options, spec, admin -> {
                admin.deny(serial);
                spec.commandLine().getOut().println("denied " + serial);
            });
        }
    }
}
