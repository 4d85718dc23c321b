package org.brski.registrar.cli;

import java.util.concurrent.Callable;

import org.brski.registrar.Registrar;
import org.brski.registrar.RegistrarException;
import org.brski.registrar.admin.AdminJson;
import org.brski.registrar.store.AuditResult;
import org.brski.server.ServerException;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code brski registrar audit SERIAL}: requests the device's audit-log from its MASA with the stored registrar
 * voucher-request (RFC 8995 5.8), judges and stores it. Exit code 3 when the log violates the audit policy.
 */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Request and verify a device's MASA audit-log now.")
final class AuditCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    ConfigOptions options;
    @Parameters(index = "0", paramLabel = "SERIAL")
    String serial;

    @Override
    public Integer call() {
        ServeCommand serve = new ServeCommand();
        serve.options = options;
        try (Registrar registrar = Registrar.open(serve.config())) {
            AuditResult result = registrar.admin().audit(serial);
            spec.commandLine().getOut().println(AdminJson.pretty(AdminJson.audit(result, false)));
            spec.commandLine().getOut().flush();
            return result.outcome() == AuditResult.Outcome.VIOLATION ? 3 : 0;
        } catch (RegistrarException e) {
            return Failures.report(spec.commandLine().getErr(), e);
        } catch (ServerException e) {
            return Failures.report(spec.commandLine().getErr(), e);
        }
    }
}
