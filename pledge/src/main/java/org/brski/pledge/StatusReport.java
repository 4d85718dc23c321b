package org.brski.pledge;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/**
 * The JSON body of {@code voucher_status} (RFC 8995 section 5.7) and {@code enrollstatus} (section 5.9.4), version 1:
 * {@code version}, {@code status}, and on failure {@code reason} and {@code reason-context}. The reason says only
 * which step failed and the reason token, never the detailed message: the registrar may be an attacker (5.7
 * "SHOULD NOT provide information beneficial to an attacker").
 */
final class StatusReport {
    static final String MEDIA_TYPE = "application/json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private StatusReport() {
    }

    static byte[] success() {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", 1);
        root.put("status", true);
        return root.toString().getBytes(StandardCharsets.UTF_8); // JsonNode.toString() is valid JSON
    }

    static byte[] failure(PledgeException cause) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", 1);
        root.put("status", false);
        root.put("reason", cause.step().label() + " failed: " + cause.reason().slug());
        ObjectNode context = root.putObject("reason-context");
        context.put("step", cause.step().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        context.put("reason", cause.reason().slug());
        return root.toString().getBytes(StandardCharsets.UTF_8); // JsonNode.toString() is valid JSON
    }
}
