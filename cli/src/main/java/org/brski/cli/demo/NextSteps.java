package org.brski.cli.demo;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;

/** The copy-paste commands printed by {@code --keep-running}: ways to talk to the running services by hand. */
final class NextSteps {
    private NextSteps() {
    }

    /**
     * @param registrarDatabase the registrar's JDBC URL as a user may type it (never one carrying a password)
     */
    static void print(PrintWriter out, Workspace ws, URI registrar, URI masa, String serial,
            String registrarDatabase) {
        String domainCa = Workspace.show(ws.pkiDir().resolve("domain-ca.pem"));
        String manufacturerCa = Workspace.show(ws.pkiDir().resolve("manufacturer-ca.pem"));
        String pki = Workspace.show(ws.pkiDir());
        Path state = ws.pledgeState(serial);
        out.println();
        out.println("The MASA and the registrar keep running; try (Ctrl-C stops them):");
        out.println();
        out.println("  # EST /cacerts (RFC 7030 4.1): the domain CA, base64 certs-only PKCS#7");
        out.println("  curl -s --cacert " + domainCa + " " + registrar + "/.well-known/est/cacerts \\");
        out.println("    | base64 -d | openssl pkcs7 -inform DER -print_certs -noout");
        out.println("  # health of both services");
        out.println("  curl --cacert " + domainCa + " " + registrar + "/healthz");
        out.println("  curl --cacert " + manufacturerCa + " " + masa + "/healthz");
        out.println("  # the voucher " + serial + " received (RFC 8366), and a new LDevID with its current one "
                + "(RFC 7030 4.2.2)");
        out.println("  ./brski voucher inspect --in " + Workspace.show(state.resolve("voucher.pem")));
        out.println("  ./brski pledge reenroll --state " + Workspace.show(state));
        out.println("  # onboard " + serial + " again as a separate process (new nonce, new voucher, new LDevID)");
        out.println("  ./brski pledge onboard --pki " + pki + " --serial " + serial + " --registrar " + registrar
                + " --out " + Workspace.show(state.resolveSibling(serial + "-again")));
        out.println("  # what the registrar knows about its devices (vouchers, status telemetry, audit verdict, LDevIDs)");
        out.println("  ./brski registrar devices list --database '" + registrarDatabase + "'"
                + (registrarDatabase.startsWith("jdbc:h2:") ? " --db-user sa" : ""));
        out.flush();
    }
}
