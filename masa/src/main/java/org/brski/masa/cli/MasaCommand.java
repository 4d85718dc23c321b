package org.brski.masa.cli;

import picocli.CommandLine.Command;

/** {@code brski masa}: run and administer the MASA (RFC 8995 sections 5.4-5.8). */
@Command(name = "masa", mixinStandardHelpOptions = true,
        description = "Manufacturer Authorized Signing Authority: issue vouchers, manage devices and owners.",
        subcommands = {ServeCommand.class, DevicesCommand.class, OwnersCommand.class})
public final class MasaCommand {
}
