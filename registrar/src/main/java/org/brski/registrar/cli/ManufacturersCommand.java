package org.brski.registrar.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.brski.pkix.Pem;
import org.brski.pkix.PkixException;
import org.brski.registrar.RegistrarException;
import org.brski.registrar.admin.AdminJson;
import org.brski.registrar.admin.AdminService;
import org.brski.registrar.policy.ApprovalMode;
import org.brski.registrar.policy.Manufacturer;
import org.brski.server.config.Compat;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code brski registrar manufacturers list|trust|distrust}. */
@Command(name = "manufacturers", mixinStandardHelpOptions = true,
        description = "List, trust or distrust manufacturers (by the CA that issues their IDevIDs).",
        subcommands = {ManufacturersCommand.ListCommand.class, ManufacturersCommand.TrustCommand.class,
            ManufacturersCommand.DistrustCommand.class})
final class ManufacturersCommand {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List manufacturers as JSON.")
    static final class ListCommand extends StoreCommand {
        @Override
        void run(AdminService admin, PrintWriter out) throws RegistrarException {
            out.println(AdminJson.pretty(AdminJson.manufacturers(admin.manufacturers())));
        }
    }

    @Command(name = "trust", mixinStandardHelpOptions = true,
            description = "Trust a manufacturer: add it with --ca, or re-trust a known one by name.")
    static final class TrustCommand extends StoreCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Option(names = "--ca", paramLabel = "PEM", description = "the CA certificate issuing its IDevIDs")
        Path ca;
        @Option(names = "--mode", description = "auto (default) or hold (operator approval per device)")
        String mode;
        @Option(names = "--masa-url", description = "MASA base URI overriding the IDevID extension")
        URI masaUrl;
        @Option(names = "--masa-anchor", paramLabel = "PEM", description = "anchor for the MASA (repeatable)")
        List<Path> masaAnchors;
        @Option(names = "--masa-dialect", paramLabel = "DIALECT", description = "how its MASA is spoken to: rfc8995"
                + " (default; binary DER) or nqminds (base64 bodies, vouchers without created-on accepted); without"
                + " --ca it changes a known manufacturer's dialect")
        String masaDialect;

        @Override
        void run(AdminService admin, PrintWriter out) throws RegistrarException {
            if (ca == null) {
                admin.setTrusted(name, true);
                if (masaDialect != null) {
                    Manufacturer known = admin.manufacturer(name).withMasaDialect(dialect());
                    admin.putManufacturer(known);
                    out.println(AdminJson.pretty(AdminJson.manufacturer(known)));
                    return;
                }
                out.println("trusted " + name);
                return;
            }
            Manufacturer m;
            try {
                X509Certificate caCert = Pem.readCertificate(ca);
                List<X509Certificate> anchors = new ArrayList<>();
                for (Path p : masaAnchors == null ? List.<Path>of() : masaAnchors) {
                    anchors.addAll(Pem.readCertificates(p));
                }
                m = new Manufacturer(name, caCert, true, mode == null ? ApprovalMode.AUTO : ApprovalMode.parse(mode),
                        anchors, Optional.ofNullable(masaUrl), Manufacturer.parseMasaDialect(masaDialect));
            } catch (PkixException | IllegalArgumentException e) {
                throw RegistrarException.badRequest("invalid-manufacturer", e.getMessage());
            }
            admin.putManufacturer(m);
            out.println(AdminJson.pretty(AdminJson.manufacturer(m)));
        }

        private Compat dialect() throws RegistrarException {
            try {
                return Manufacturer.parseMasaDialect(masaDialect);
            } catch (IllegalArgumentException e) {
                throw RegistrarException.badRequest("invalid-manufacturer", e.getMessage());
            }
        }
    }

    @Command(name = "distrust", mixinStandardHelpOptions = true, description = "Distrust a manufacturer.")
    static final class DistrustCommand extends StoreCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        void run(AdminService admin, PrintWriter out) throws RegistrarException {
            admin.setTrusted(name, false);
            out.println("distrusted " + name);
        }
    }
}
