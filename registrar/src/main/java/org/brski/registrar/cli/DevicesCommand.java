package org.brski.registrar.cli;

import java.io.PrintWriter;

import org.brski.registrar.RegistrarException;
import org.brski.registrar.admin.AdminJson;
import org.brski.registrar.admin.AdminService;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code brski registrar devices list|show|approve|deny}. */
@Command(name = "devices", mixinStandardHelpOptions = true,
        description = "List, show, approve or deny devices (by serial-number).",
        subcommands = {DevicesCommand.ListCommand.class, DevicesCommand.ShowCommand.class,
            DevicesCommand.ApproveCommand.class, DevicesCommand.DenyCommand.class})
final class DevicesCommand {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List devices as JSON.")
    static final class ListCommand extends StoreCommand {
        @Override
        void run(AdminService admin, PrintWriter out) throws RegistrarException {
            out.println(AdminJson.pretty(AdminJson.devices(admin.devices())));
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Show a device: approval, vouchers, telemetry, audit verdict, IDevID.")
    static final class ShowCommand extends StoreCommand {
        @Parameters(index = "0", paramLabel = "SERIAL")
        String serial;

        @Override
        void run(AdminService admin, PrintWriter out) throws RegistrarException {
            out.println(AdminJson.pretty(AdminJson.device(admin.device(serial), true)));
        }
    }

    @Command(name = "approve", mixinStandardHelpOptions = true,
            description = "Approve a device (also before it is first seen).")
    static final class ApproveCommand extends StoreCommand {
        @Parameters(index = "0", paramLabel = "SERIAL")
        String serial;

        @Override
        void run(AdminService admin, PrintWriter out) throws RegistrarException {
            admin.approve(serial);
            out.println("approved " + serial);
        }
    }

    @Command(name = "deny", mixinStandardHelpOptions = true, description = "Deny a device.")
    static final class DenyCommand extends StoreCommand {
        @Parameters(index = "0", paramLabel = "SERIAL")
        String serial;

        @Override
        void run(AdminService admin, PrintWriter out) throws RegistrarException {
            admin.deny(serial);
            out.println("denied " + serial);
        }
    }
}
