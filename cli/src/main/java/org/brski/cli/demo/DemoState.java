package org.brski.cli.demo;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import org.brski.masa.MasaException;
import org.brski.registrar.RegistrarException;
import org.brski.registrar.store.Device;

/** What the services now know (MASA audit log, registrar device records) and where every piece of state lives. */
final class DemoState {
    private DemoState() {
    }

    static void print(PrintWriter out, Workspace ws, DemoServices services, List<String> serials,
            DemoServices.Databases databases) throws DemoException {
        long events = 0;
        int enrolled = 0;
        int certificates = 0;
        try {
            for (String serial : serials) {
                events += services.masa().store().auditEventCount(serial);
                Optional<Device> device = services.registrar().registrar().store().device(serial);
                if (device.map(d -> d.enrollStatus().map(s -> s.status()).orElse(false)).orElse(false)) {
                    enrolled++;
                }
                certificates += device.map(Device::certificates).orElse(0);
            }
        } catch (MasaException | RegistrarException e) {
            throw new DemoException("reading the services' records failed: " + e.getMessage(), e);
        }
        out.println("MASA audit log (RFC 8995 5.8): " + events + " voucher(s) issued to these " + serials.size()
                + " device(s) so far");
        out.println("registrar: " + enrolled + " device(s) reported a successful enrollment (5.9.4), "
                + certificates + " LDevID(s) issued so far");
        out.println();
        out.println("state:");
        out.println("  PKI (keys, certificates, pki.json)  " + Workspace.show(ws.pkiDir()));
        out.println("  MASA database                       " + location(databases.masa().url()));
        out.println("  registrar database                  " + location(databases.registrar().url()));
        out.println("  pledge states (voucher, LDevID)     " + Workspace.show(ws.pledgeState("SERIAL")));
        if (Files.isDirectory(ws.fieldbusDir())) {
            out.println("  fieldbus master key, node memories  " + Workspace.show(ws.fieldbusDir()));
        }
        out.flush();
    }

    /** The H2 file (without its parameters) or the JDBC URL without credentials. */
    private static String location(String url) {
        if (url.startsWith("jdbc:h2:file:")) {
            String path = url.substring("jdbc:h2:file:".length()).split(";", 2)[0];
            return Workspace.show(java.nio.file.Path.of(path + ".mv.db"));
        }
        return url.split("\\?", 2)[0];
    }
}
