package org.brski.pledge;

/**
 * The steps of onboarding (RFC 8995 sections 5.1 to 5.9) and re-enrollment (RFC 7030 section 4.2.2), in order.
 * Progress events ({@link PledgeListener}) and failures ({@link PledgeException#step()}) name one of them.
 */
public enum Step {
    /** Provisional TLS to the registrar with the IDevID as client certificate; the server certificate is kept (5.1). */
    CONNECT("connect"),
    /** Building and signing the pledge voucher-request (5.2). */
    CREATE_VOUCHER_REQUEST("create voucher-request"),
    /** POST {@code /.well-known/brski/requestvoucher}, including 202 retries (5.2, 5.6). */
    REQUEST_VOUCHER("requestvoucher"),
    /** Verifying the voucher: MASA signature and chain, serial-number, nonce, dates, pinned-domain-cert (5.6.1). */
    VERIFY_VOUCHER("verify voucher"),
    /** Validating the registrar's TLS certificate against the pinned-domain-cert (5.6.2). */
    AUTHENTICATE_REGISTRAR("authenticate registrar"),
    /** POST {@code /.well-known/brski/voucher_status} (5.7). */
    VOUCHER_STATUS("voucher_status"),
    /** GET {@code /.well-known/est/cacerts} and its check against the pin (5.9.1, RFC 7030 4.1). */
    CA_CERTIFICATES("cacerts"),
    /** GET {@code /.well-known/est/csrattrs} (5.9.2, RFC 7030 4.5). */
    CSR_ATTRIBUTES("csrattrs"),
    /** LDevID key generation and POST {@code /.well-known/est/simpleenroll} (5.9.3, RFC 7030 4.2.1). */
    ENROLL("simpleenroll"),
    /** POST {@code /.well-known/est/simplereenroll} with the current LDevID (RFC 7030 4.2.2). */
    REENROLL("simplereenroll"),
    /** Checking the issued certificate: our key, chain to the domain CA (5.9.3). */
    VERIFY_CERTIFICATE("verify certificate"),
    /** POST {@code /.well-known/brski/enrollstatus} (5.9.4). */
    ENROLL_STATUS("enrollstatus"),
    /** GET the machine's fieldbus key package over TLS with the LDevID (our registrar extension, EmSA WP-104). */
    KEY_PACKAGE("key-package"),
    /** POST Provisioning Keys generated on an isolated bench to the domain key service (EmSA WP-104 3.2). */
    KEY_ESCROW("key-escrow"),
    /** Commissioning fieldbus nodes and reporting which key each holds. */
    COMMISSION("commission"),
    /** Reading or writing the persisted onboarding state. */
    STATE("state"),
    /** Checking the pledge's own configuration (IDevID, anchors, options). */
    CONFIGURE("configure");

    private final String label;

    Step(String label) {
        this.label = label;
    }

    /** A short human-readable name, e.g. {@code requestvoucher}. */
    public String label() {
        return label;
    }

    @Override
    public String toString() {
        return label;
    }
}
