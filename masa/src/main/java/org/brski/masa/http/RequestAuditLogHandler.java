package org.brski.masa.http;

import org.brski.masa.MasaException;
import org.brski.masa.audit.AuditLogResponder;
import org.brski.masa.voucher.MasaRequest;
import org.brski.masa.voucher.MasaResponse;

/** {@code POST /.well-known/brski/requestauditlog} (RFC 8995 section 5.8): delegates to {@link AuditLogResponder}. */
public final class RequestAuditLogHandler extends MasaEndpoint {
    /** The path of this endpoint. */
    public static final String PATH = "/.well-known/brski/requestauditlog";

    private final AuditLogResponder responder;

    public RequestAuditLogHandler(AuditLogResponder responder, int maxBodyBytes, MasaMetrics metrics) {
        super("requestauditlog", maxBodyBytes, metrics);
        this.responder = responder;
    }

    @Override
    MasaResponse process(MasaRequest request) throws MasaException {
        return responder.requestAuditLog(request);
    }

    @Override
    void succeeded(MasaMetrics metrics) {
        metrics.auditLogServed();
    }
}
