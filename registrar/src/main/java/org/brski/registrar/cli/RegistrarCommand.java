package org.brski.registrar.cli;

import picocli.CommandLine.Command;

/** {@code brski registrar}: run and administer the BRSKI registrar (RFC 8995 section 5). */
@Command(name = "registrar", mixinStandardHelpOptions = true,
        description = "Run and administer the BRSKI registrar and EST server.",
        subcommands = {ServeCommand.class, ManufacturersCommand.class, DevicesCommand.class, AuditCommand.class,
            FieldbusCommand.class})
public final class RegistrarCommand {
}
