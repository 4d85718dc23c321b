package org.brski.registrar.voucher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.brski.pkix.DeviceCertificates;
import org.brski.registrar.RegistrarException;
import org.brski.registrar.store.Device;
import org.brski.registrar.store.RegistrarStore;
import org.brski.registrar.store.StatusReport;
import org.brski.voucher.StrictJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Pledge status telemetry: {@code voucher_status} (RFC 8995 section 5.7) and {@code enrollstatus} (section 5.9.4).
 * {@code version} (unsigned integer) and {@code status} (boolean) are mandatory; {@code reason} is text and
 * {@code reason-context} an object when present; other members are logged and ignored. The sender is identified by
 * its TLS client certificate, which must be the device's IDevID (or, for enrollstatus, an LDevID issued here).
 */
public final class TelemetryService {
    private static final Logger LOG = LoggerFactory.getLogger(TelemetryService.class);
    /** Largest telemetry body accepted. */
    public static final int MAX_BYTES = 8 * 1024;
    private static final Set<String> KNOWN = Set.of("version", "status", "reason", "reason-context");

    private final RegistrarStore store;
    private final Clock clock;
    private final ObjectMapper json;

    public TelemetryService(RegistrarStore store, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.json = StrictJson.mapper();
        this.json.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).build());
    }

    /** Handles {@code POST /.well-known/brski/voucher_status}: stores the report for the device. */
    public StatusReport voucherStatus(byte[] body, List<X509Certificate> tlsChain) throws RegistrarException {
        String serial = serialOf(tlsChain);
        Device device = known(serial);
        if (!matchesIdevid(device, tlsChain.get(0))) {
            throw RegistrarException.forbidden("client-certificate-mismatch",
                    "voucher status must be sent with the device's IDevID as TLS client certificate");
        }
        StatusReport report = parse(body, true, "voucher status");
        store.recordVoucherStatus(serial, report);
        LOG.info("voucher status of {}: {} {}", serial, report.status() ? "accepted" : "REJECTED",
                printable(report.reason().orElse("")));
        return report;
    }

    /** Handles {@code POST /.well-known/brski/enrollstatus}: stores the report for the device. */
    public StatusReport enrollStatus(byte[] body, List<X509Certificate> tlsChain) throws RegistrarException {
        String serial = serialOf(tlsChain);
        Device device = known(serial);
        X509Certificate client = tlsChain.get(0);
        boolean matched = matchesIdevid(device, client)
                || store.issuedCertificate(client).map(c -> c.serial().equals(serial)).orElse(false);
        if (!matched) {
            throw RegistrarException.forbidden("client-certificate-mismatch", "enrollment status must be sent with the"
                    + " device's IDevID or an LDevID issued by this registrar as TLS client certificate");
        }
        StatusReport report = parse(body, true, "enrollment status");
        store.recordEnrollStatus(serial, report);
        LOG.info("enrollment status of {}: {} {} (matching client certificate)", serial,
                report.status() ? "success" : "FAILURE", printable(report.reason().orElse("")));
        return report;
    }

    private Device known(String serial) throws RegistrarException {
        return store.device(serial).orElseThrow(() -> RegistrarException.notFound("unknown-device",
                "device '" + serial + "' is not known to this registrar"));
    }

    private static String serialOf(List<X509Certificate> tlsChain) throws RegistrarException {
        if (tlsChain.isEmpty()) {
            throw RegistrarException.unauthorized("client-certificate-required", "a TLS client certificate is required");
        }
        return DeviceCertificates.serialNumber(tlsChain.get(0)).orElseThrow(() -> RegistrarException.forbidden(
                "no-serial-number", "the TLS client certificate has no subject serialNumber"));
    }

    static boolean matchesIdevid(Device device, X509Certificate client) {
        return device.idevid().map(id -> MessageDigest.isEqual(id.getPublicKey().getEncoded(),
                client.getPublicKey().getEncoded())).orElse(false);
    }

    private StatusReport parse(byte[] body, boolean matched, String what) throws RegistrarException {
        if (body.length > MAX_BYTES) {
            throw RegistrarException.tooLarge(what + " exceeds the limit of " + MAX_BYTES + " bytes");
        }
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw RegistrarException.badRequest("malformed-json", what + " is not well-formed JSON: "
                    + StrictJson.describe(e));
        } catch (IOException e) {
            throw RegistrarException.badRequest("malformed-json", what + " cannot be read");
        }
        if (root == null || !root.isObject()) {
            throw RegistrarException.badRequest("malformed-json", what + " must be a JSON object");
        }
        JsonNode version = root.get("version");
        if (version == null || !version.canConvertToInt() || !version.isIntegralNumber() || version.asInt() < 0) {
            throw RegistrarException.badRequest("invalid-status", what + ": 'version' must be an unsigned integer");
        }
        JsonNode status = root.get("status");
        if (status == null || !status.isBoolean()) {
            throw RegistrarException.badRequest("invalid-status", what + ": 'status' must be true or false");
        }
        JsonNode reason = root.get("reason");
        if (reason != null && !reason.isTextual()) {
            throw RegistrarException.badRequest("invalid-status", what + ": 'reason' must be a string");
        }
        JsonNode context = root.get("reason-context");
        if (context != null && !context.isObject()) {
            throw RegistrarException.badRequest("invalid-status", what + ": 'reason-context' must be an object");
        }
        if (version.asInt() > 1) {
            LOG.warn("{} of version {} (newer than 1): operator attention needed", what, version.asInt());
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!KNOWN.contains(name)) {
                LOG.info("{} carries unknown member '{}' (ignored)", what, printable(name));
            }
        }
        Optional<String> reasonText = reason == null ? Optional.empty() : Optional.of(clip(reason.textValue()));
        return new StatusReport(version.asInt(), status.booleanValue(), reasonText,
                new String(body, StandardCharsets.UTF_8), clock.instant(), matched);
    }

    /** The pledge's text for a log line: printable ASCII only, so that it cannot forge or break log lines. */
    private static String printable(String value) {
        return value.replaceAll("[^\\x20-\\x7E]", "?");
    }

    private static String clip(String value) {
        return value.length() > 1024 ? value.substring(0, 1024) : value;
    }
}
