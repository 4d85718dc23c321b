package org.brski.registrar.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import org.brski.registrar.RegistrarException;
import org.brski.registrar.admin.AdminService;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** An operator command on the registrar's database: the config options, one action, failures as exit codes. */
abstract class StoreCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    ConfigOptions options;

    /** The command's work on the opened store; {@code out} is the command's standard output. */
    abstract void run(AdminService admin, PrintWriter out) throws RegistrarException;

    @Override
    public final Integer call() {
        return StoreAccess.run(options, spec, admin -> run(admin, spec.commandLine().getOut()));
    }
}
