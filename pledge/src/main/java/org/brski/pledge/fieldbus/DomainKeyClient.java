package org.brski.pledge.fieldbus;

import java.net.URI;
import java.security.cert.X509Certificate;
import java.util.Objects;

import org.brski.fieldbus.FieldbusException;
import org.brski.fieldbus.keys.KeyPackageCms;
import org.brski.fieldbus.keys.SymmetricKeyPackage;
import org.brski.pledge.OnboardingResult;
import org.brski.pledge.PledgeException;
import org.brski.pledge.PledgeException.Reason;
import org.brski.pledge.PledgeOptions;
import org.brski.pledge.Step;
import org.brski.pledge.http.HttpReply;
import org.brski.pledge.http.RegistrarClient;
import org.brski.pledge.http.RegistrarTrust;

/**
 * The machine controller's side of the registrar's fieldbus key service: after onboarding, over TLS with the LDevID
 * as client certificate and the registrar validated to the domain trust anchors (RFC 7030 3.3.1, 3.6.1):
 * <ul>
 * <li>{@code GET /brski-fieldbus/v1/key-package}: the machine's RFC 6031 key package in CMS EnvelopedData to the
 * LDevID key, opened here;</li>
 * <li>{@code POST /brski-fieldbus/v1/escrow}: Provisioning Keys generated on an isolated commissioning bench (EmSA
 * WP-104 3.2), enveloped to the registrar's certificate so only the domain key service can read them;</li>
 * <li>{@code POST /brski-fieldbus/v1/report}: which key each node holds, as read back from the nodes.</li>
 * </ul>
 */
public final class DomainKeyClient implements AutoCloseable {
    /** Path of the key package endpoint. */
    public static final String KEY_PACKAGE = "/brski-fieldbus/v1/key-package";
    /** Path of the Provisioning Key escrow endpoint. */
    public static final String ESCROW = "/brski-fieldbus/v1/escrow";
    /** Path of the commissioning report endpoint. */
    public static final String REPORT = "/brski-fieldbus/v1/report";

    private final RegistrarClient client;
    private final RegistrarTrust trust;
    private final OnboardingResult state;

    private DomainKeyClient(RegistrarClient client, RegistrarTrust trust, OnboardingResult state) {
        this.client = client;
        this.trust = trust;
        this.state = state;
    }

    /**
     * Connects to the registrar of the onboarding result with its LDevID.
     *
     * @throws PledgeException CONFIGURE when TLS cannot be set up
     */
    public static DomainKeyClient open(OnboardingResult state, PledgeOptions options) throws PledgeException {
        return open(state, state.registrar(), options);
    }

    /** As {@link #open(OnboardingResult, PledgeOptions)} with another registrar of the same domain. */
    public static DomainKeyClient open(OnboardingResult state, URI registrar, PledgeOptions options)
            throws PledgeException {
        Objects.requireNonNull(state, "state");
        RegistrarTrust trust = RegistrarTrust.anchoredTo(state.domainTrustAnchors(), options.trustTime());
        RegistrarClient client = RegistrarClient.open(registrar, state.ldevidKey(), state.ldevidChain(), trust,
                options.connectTimeout(), options.exchangeTimeout(), options.maxResponseBytes(), options.random());
        return new DomainKeyClient(client, trust, state);
    }

    /**
     * Fetches and opens the machine's key package.
     *
     * @throws PledgeException KEY_PACKAGE: HTTP_STATUS when the registrar refuses (its problem detail is in the
     *                         message), MALFORMED_RESPONSE when the package cannot be opened with the LDevID key
     */
    public SymmetricKeyPackage keyPackage() throws PledgeException {
        HttpReply reply = client.get(Step.KEY_PACKAGE, KEY_PACKAGE, KeyPackageCms.MEDIA_TYPE);
        expect(Step.KEY_PACKAGE, reply, 200);
        try {
            return KeyPackageCms.open(reply.body(), state.ldevidKey(), state.ldevid());
        } catch (FieldbusException e) {
            throw new PledgeException(Step.KEY_PACKAGE, Reason.MALFORMED_RESPONSE,
                    "the key package cannot be opened with the LDevID key: " + e.getMessage(), e);
        }
    }

    /**
     * Escrows Provisioning Keys to the domain key service, enveloped to the certificate of the registrar this client
     * is connected to — validated to the domain trust anchors with id-kp-cmcRA — so that only that registrar's key
     * opens them (any registrar of the domain may serve the controller).
     */
    public void escrow(SymmetricKeyPackage provisioningKeys) throws PledgeException {
        if (trust.serverChain().isEmpty()) {
            // no exchange yet on this client: complete the TLS handshake with an ordinary EST request (RFC 7030 4.1)
            client.get(Step.KEY_ESCROW, "/.well-known/est/cacerts", "application/pkcs7-mime");
        }
        X509Certificate registrar = trust.serverChain().orElseThrow(() -> new PledgeException(Step.KEY_ESCROW,
                Reason.TLS, "no registrar certificate was seen during the TLS handshake")).get(0);
        byte[] body;
        try {
            body = KeyPackageCms.envelope(provisioningKeys, registrar);
        } catch (FieldbusException e) {
            throw new PledgeException(Step.KEY_ESCROW, Reason.CONFIGURATION,
                    "cannot envelope to the registrar's certificate: " + e.getMessage(), e);
        }
        HttpReply reply = client.post(Step.KEY_ESCROW, ESCROW, body, KeyPackageCms.MEDIA_TYPE,
                "application/json, application/problem+json", false);
        expect(Step.KEY_ESCROW, reply, 200, 201, 204);
    }

    /** Reports the commissioning result (JSON as produced by {@link CommissioningReport#toJson()}). */
    public void report(CommissioningReport report) throws PledgeException {
        HttpReply reply = client.post(Step.COMMISSION, REPORT, report.toJson(), "application/json",
                "application/json, application/problem+json", false);
        expect(Step.COMMISSION, reply, 200, 201, 204);
    }

    private static void expect(Step step, HttpReply reply, int... statuses) throws PledgeException {
        for (int status : statuses) {
            if (reply.status() == status) {
                return;
            }
        }
        throw new PledgeException(step, Reason.HTTP_STATUS, "the registrar answered " + reply.status() + ": "
                + reply.excerpt());
    }

    @Override
    public void close() {
        client.close();
    }
}
