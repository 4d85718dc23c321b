package org.brski.registrar.admin;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

import org.brski.pkix.Pem;
import org.brski.pkix.PkixException;
import org.brski.registrar.RegistrarException;
import org.brski.registrar.policy.ApprovalMode;
import org.brski.registrar.policy.Manufacturer;
import org.brski.server.ServerException;
import org.brski.server.config.Compat;
import org.brski.server.http.Bodies;
import org.brski.server.http.MediaTypes;
import org.brski.server.http.Responses;
import org.brski.voucher.StrictJson;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The admin REST API (JSON), served on its own port behind admin client-certificate authentication:
 * <ul>
 *   <li>{@code GET /admin/manufacturers}; {@code POST /admin/manufacturers} with
 *       {@code {"name","caCert"(PEM),"trusted","mode":"auto|hold","masaAnchors"(PEM),"masaUrl",
 *       "masaDialect":"rfc8995|nqminds"}};</li>
 *   <li>{@code POST /admin/manufacturers/{name}/trust} and {@code .../distrust};</li>
 *   <li>{@code GET /admin/devices}; {@code GET /admin/devices/{serial}};
 *       {@code POST /admin/devices/{serial}/approve}, {@code .../deny}, {@code .../audit}.</li>
 * </ul>
 */
public final class AdminHandlers {
    private static final Logger LOG = LoggerFactory.getLogger(AdminHandlers.class);
    private static final int MAX_BODY = 256 * 1024;
    private static final ObjectMapper JSON = StrictJson.mapper();

    private AdminHandlers() {
    }

    @FunctionalInterface
    private interface Action {
        JsonNode run(Request request, List<String> path) throws RegistrarException, ServerException;
    }

    /** Runs an action and answers JSON or a problem. */
    abstract static class AdminHandler extends Handler.Abstract {
        abstract JsonNode run(Request request, List<String> path) throws RegistrarException, ServerException;

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            List<String> path = List.of(request.getHttpURI().getDecodedPath().replaceAll("^/+|/+$", "").split("/"));
            try {
                JsonNode result = run(request, path);
                Responses.send(response, callback, 200, "application/json", AdminJson.bytes(result));
            } catch (RegistrarException e) {
                LOG.info("admin {} {} refused: {}", request.getMethod(), path, e.getMessage());
                Responses.problem(response, callback, e.problem());
            } catch (ServerException e) {
                LOG.info("admin {} {} refused: {}", request.getMethod(), path, e.getMessage());
                Responses.problem(response, callback, e.problem());
            }
            return true;
        }
    }

    static RegistrarException notAllowed() {
        return RegistrarException.of(405, "method-not-allowed", "Method not allowed", "method not allowed here");
    }

    static RegistrarException noSuchAction() {
        return RegistrarException.notFound("not-found", "no such admin resource");
    }

    /** {@code /admin/manufacturers}. */
    public static Handler manufacturers(AdminService admin) {
        return new AdminHandler() {
            @Override
            JsonNode run(Request request, List<String> path) throws RegistrarException, ServerException {
                if ("GET".equals(request.getMethod())) {
                    return AdminJson.manufacturers(admin.manufacturers());
                }
                if (!"POST".equals(request.getMethod())) {
                    throw notAllowed();
                }
                MediaTypes.requireContentType(request, List.of("application/json"));
                Manufacturer m = parseManufacturer(Bodies.read(request, MAX_BODY));
                admin.putManufacturer(m);
                return AdminJson.manufacturer(m);
            }
        };
    }

    /** {@code /admin/manufacturers/{name}/trust|distrust}. */
    public static Handler manufacturerActions(AdminService admin) {
        return new AdminHandler() {
            @Override
            JsonNode run(Request request, List<String> path) throws RegistrarException {
                if (path.size() != 4) {
                    throw noSuchAction();
                }
                if (!"POST".equals(request.getMethod())) {
                    throw notAllowed();
                }
                switch (path.get(3)) {
                    case "trust" -> admin.setTrusted(path.get(2), true);
                    case "distrust" -> admin.setTrusted(path.get(2), false);
                    default -> throw noSuchAction();
                }
                return JSON.createObjectNode().put("name", path.get(2)).put("trusted", path.get(3).equals("trust"));
            }
        };
    }

    /** {@code /admin/devices}. */
    public static Handler devices(AdminService admin) {
        return new AdminHandler() {
            @Override
            JsonNode run(Request request, List<String> path) throws RegistrarException {
                if (!"GET".equals(request.getMethod())) {
                    throw notAllowed();
                }
                return AdminJson.devices(admin.devices());
            }
        };
    }

    /** {@code /admin/devices/{serial}[/approve|deny|audit]}. */
    public static Handler deviceActions(AdminService admin) {
        return new AdminHandler() {
            @Override
            JsonNode run(Request request, List<String> path) throws RegistrarException {
                if (path.size() == 3 && "GET".equals(request.getMethod())) {
                    return AdminJson.device(admin.device(path.get(2)), true);
                }
                if (path.size() != 4) {
                    throw noSuchAction();
                }
                if (!"POST".equals(request.getMethod())) {
                    throw notAllowed();
                }
                String serial = path.get(2);
                switch (path.get(3)) {
                    case "approve" -> admin.approve(serial);
                    case "deny" -> admin.deny(serial);
                    case "audit" -> {
                        return AdminJson.audit(admin.audit(serial), true);
                    }
                    default -> throw noSuchAction();
                }
                return AdminJson.device(admin.device(serial), false);
            }
        };
    }

    /** Parses the JSON body of {@code POST /admin/manufacturers}. */
    static Manufacturer parseManufacturer(byte[] body) throws RegistrarException {
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (IOException e) {
            throw RegistrarException.badRequest("malformed-json", "the body is not JSON");
        }
        if (node == null || !node.isObject() || !node.path("name").isTextual() || !node.path("caCert").isTextual()) {
            throw RegistrarException.badRequest("invalid-manufacturer", "'name' and 'caCert' (PEM) are required");
        }
        try {
            X509Certificate ca = Pem.parseCertificates(node.get("caCert").textValue(), "caCert").get(0);
            List<X509Certificate> anchors = node.path("masaAnchors").isTextual()
                    ? Pem.parseCertificates(node.get("masaAnchors").textValue(), "masaAnchors") : List.of();
            Optional<URI> masaUrl = node.path("masaUrl").isTextual()
                    ? Optional.of(new URI(node.get("masaUrl").textValue())) : Optional.empty();
            ApprovalMode mode = node.path("mode").isTextual() ? ApprovalMode.parse(node.get("mode").textValue())
                    : ApprovalMode.AUTO;
            boolean trusted = !node.has("trusted") || node.get("trusted").asBoolean(true);
            if (node.has("masaDialect") && !node.get("masaDialect").isTextual()) {
                throw RegistrarException.badRequest("invalid-manufacturer", "'masaDialect' must be "
                        + Manufacturer.MASA_DIALECTS);
            }
            Compat dialect = Manufacturer.parseMasaDialect(node.path("masaDialect").textValue());
            return new Manufacturer(node.get("name").textValue(), ca, trusted, mode, anchors, masaUrl, dialect);
        } catch (PkixException e) {
            throw RegistrarException.badRequest("invalid-manufacturer", "a certificate field is not PEM");
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw RegistrarException.badRequest("invalid-manufacturer", e.getMessage() == null ? "invalid value"
                    : e.getMessage().replaceAll("[^\\x20-\\x7E]", "?"));
        }
    }

}
