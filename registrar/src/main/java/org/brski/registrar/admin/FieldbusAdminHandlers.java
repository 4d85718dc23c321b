package org.brski.registrar.admin;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.brski.registrar.RegistrarException;
import org.brski.registrar.fieldbus.FieldbusAdmin;
import org.brski.registrar.fieldbus.FieldbusFormat;
import org.brski.server.ServerException;
import org.brski.server.http.Bodies;
import org.brski.server.http.MediaTypes;
import org.brski.voucher.StrictJson;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The fieldbus part of the admin API (served only when the domain key service is configured):
 * <ul>
 *   <li>{@code GET /admin/fieldbus/machines}; {@code POST /admin/fieldbus/machines} with
 *       {@code {"id","controllers":[serial...],"operatorKey":false}};</li>
 *   <li>{@code GET /admin/fieldbus/machines/{id}}: status (revisions, nodes, stale flags);</li>
 *   <li>{@code POST /admin/fieldbus/machines/{id}/labels} ({@code text/csv}: {@value FieldbusAdmin#LABEL_HEADER});</li>
 *   <li>{@code POST /admin/fieldbus/machines/{id}/rotate};
 *       {@code POST /admin/fieldbus/machines/{id}/revisions/{revision}/revoke};
 *       {@code POST /admin/fieldbus/machines/{id}/nodes/{serial}/remove} (rotates, WP-104 3.3).</li>
 * </ul>
 */
public final class FieldbusAdminHandlers {
    private static final int MAX_BODY = 16 * 1024;
    private static final ObjectMapper JSON = StrictJson.mapper();

    private FieldbusAdminHandlers() {
    }

    /** {@code /admin/fieldbus/machines}. */
    public static Handler machines(FieldbusAdmin admin) {
        return new AdminHandlers.AdminHandler() {
            @Override
            JsonNode run(Request request, List<String> path) throws RegistrarException, ServerException {
                if ("GET".equals(request.getMethod())) {
                    return FieldbusJson.machines(admin.machines());
                }
                if (!"POST".equals(request.getMethod())) {
                    throw AdminHandlers.notAllowed();
                }
                MediaTypes.requireContentType(request, List.of("application/json"));
                JsonNode node;
                try {
                    node = JSON.readTree(Bodies.read(request, MAX_BODY));
                } catch (IOException e) {
                    throw RegistrarException.badRequest("malformed-json", "the body is not JSON");
                }
                if (node == null || !node.isObject() || !node.path("id").isTextual()
                        || !node.path("controllers").isArray()
                        || (node.has("operatorKey") && !node.get("operatorKey").isBoolean())) {
                    throw RegistrarException.badRequest("invalid-machine", "'id' (string), 'controllers' (array of"
                            + " serial-numbers) and optional 'operatorKey' (boolean) are required");
                }
                List<String> controllers = new ArrayList<>();
                for (JsonNode c : node.get("controllers")) {
                    if (!c.isTextual() || controllers.size() > FieldbusFormat.MAX_CONTROLLERS) {
                        throw RegistrarException.badRequest("bad-controllers", "controllers are 1-"
                                + FieldbusFormat.MAX_CONTROLLERS + " serial-number strings");
                    }
                    controllers.add(c.textValue());
                }
                return FieldbusJson.machine(admin.addMachine(node.get("id").textValue(), controllers,
                        node.path("operatorKey").asBoolean(false)));
            }
        };
    }

    /** {@code /admin/fieldbus/machines/{id}[/...]}. */
    public static Handler machineActions(FieldbusAdmin admin) {
        return new AdminHandlers.AdminHandler() {
            @Override
            JsonNode run(Request request, List<String> path) throws RegistrarException, ServerException {
                // path: admin, fieldbus, machines, {id}, ...
                if (path.size() < 4) {
                    throw AdminHandlers.noSuchAction();
                }
                String id = path.get(3);
                if (path.size() == 4) {
                    if (!"GET".equals(request.getMethod())) {
                        throw AdminHandlers.notAllowed();
                    }
                    return FieldbusJson.status(admin.status(id));
                }
                if (!"POST".equals(request.getMethod())) {
                    throw AdminHandlers.notAllowed();
                }
                if (path.size() == 5 && path.get(4).equals("rotate")) {
                    return FieldbusJson.revision(admin.rotate(id));
                }
                if (path.size() == 5 && path.get(4).equals("labels")) {
                    MediaTypes.requireContentType(request, List.of("text/csv"));
                    int stored = admin.importLabels(id, Bodies.read(request, FieldbusAdmin.MAX_LABEL_BYTES));
                    return JSON.createObjectNode().put("machine", id).put("stored", stored);
                }
                if (path.size() == 7 && path.get(4).equals("revisions") && path.get(6).equals("revoke")) {
                    return FieldbusJson.revision(admin.revoke(id, number(path.get(5), Integer.MAX_VALUE, "revision")
                            .intValue()));
                }
                if (path.size() == 7 && path.get(4).equals("nodes") && path.get(6).equals("remove")) {
                    return FieldbusJson.revision(admin.removeNode(id, serial(path.get(5))));
                }
                throw AdminHandlers.noSuchAction();
            }
        };
    }

    /** A node serial in the path: decimal (as status shows it) or 0x hex (as label files may write it). */
    private static long serial(String text) throws RegistrarException {
        try {
            return FieldbusFormat.unsigned32(text);
        } catch (NumberFormatException e) {
            throw RegistrarException.badRequest("bad-number",
                    "node serial must be an UNSIGNED32, decimal or 0x hex");
        }
    }

    private static Long number(String text, long max, String name) throws RegistrarException {
        if (text.isEmpty() || text.length() > 10 || !text.chars().allMatch(Character::isDigit)
                || Long.parseLong(text) > max) {
            throw RegistrarException.badRequest("bad-number", name + " must be a decimal number up to " + max);
        }
        return Long.parseLong(text);
    }
}
