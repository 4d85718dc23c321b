package org.brski.interop.cases;

import static org.brski.interop.InteropCase.optional;
import static org.brski.interop.InteropCase.required;

import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.brski.interop.InteropCase;
import org.brski.interop.InteropContext;
import org.brski.interop.InteropException;
import org.brski.interop.Observation;
import org.brski.interop.client.Artifacts;
import org.brski.interop.client.Attempt;
import org.brski.interop.client.PeerSession;
import org.brski.interop.client.Replies;
import org.brski.pki.HeldCertificate;
import org.brski.pkix.CertPaths;
import org.brski.pkix.DeviceCertificates;
import org.brski.pkix.PkixException;
import org.brski.pledge.PledgeException;
import org.brski.pledge.Step;
import org.brski.pledge.est.CsrAttributes;
import org.brski.pledge.est.EstCodec;
import org.brski.pledge.http.HttpReply;

/**
 * EST cases (RFC 8995 5.9, RFC 7030 section 4, RFC 8951): CA certificates, CSR attributes, enrollment with each base64
 * variant, and refusals: enrollment without a voucher, CSRs that do not prove possession or name another device,
 * wrong media types, non-DER and oversized bodies.
 */
final class EstCases {
    /** The positive control of {@code /simpleenroll}. */
    static final String ENROLL = "est-simpleenroll";
    /** The positive control of {@code /cacerts} without a voucher. */
    static final String CACERTS_BASE64 = "est-cacerts-base64";

    private static final Refusal NOT_A_CSR = Refusal.because("the malformed CSR", "csr|pkcs.?10|certification"
            + " request|request|" + Refusal.MALFORMED);

    private EstCases() {
    }

    static List<InteropCase> all() {
        return List.of(
                required("est-cacerts", "RFC 8995 5.9.1, RFC 7030 4.1.3", "GET /cacerts after the voucher",
                        "200 application/pkcs7-mime certs-only; the registrar's TLS chain validates to a certificate"
                                + " of it", EstCases::caCerts).needs(VoucherCases.POSITIVE),
                required(CACERTS_BASE64, "RFC 7030 4.1.3, RFC 8951", "GET /cacerts encoding",
                        "base64 text of DER (binary DER is not EST)", EstCases::caCertsBase64).needs(VoucherCases.TLS),
                optional("est-cacerts-accept-any", "RFC 7030 4.1.2, RFC 9110 12.5.1", "GET /cacerts with Accept */*",
                        "200 application/pkcs7-mime certs-only", EstCases::caCertsAny).needs(CACERTS_BASE64),
                required("est-csrattrs", "RFC 8995 5.9.2, RFC 7030 4.5", "GET /csrattrs after the voucher",
                        "200 with CsrAttrs (base64 DER), or 204/404 for none", EstCases::csrAttrs)
                        .needs(VoucherCases.POSITIVE),
                required(ENROLL, "RFC 8995 5.9.3, RFC 7030 4.2.1",
                        "base64 PKCS#10 with Content-Transfer-Encoding: base64",
                        "200 certs-only: an LDevID for the CSR's key with the pledge's serialNumber, chaining to "
                                + "/cacerts (a 404 means the endpoint is missing)", c -> enrollVariant(c, true, false))
                        .needs(VoucherCases.POSITIVE),
                required("est-simpleenroll-no-cte", "RFC 8951 3, RFC 8995 6",
                        "base64 PKCS#10 without Content-Transfer-Encoding", "200 with an LDevID",
                        c -> enrollVariant(c, false, false)).needs(ENROLL),
                required("est-simpleenroll-line-breaks", "RFC 8951 3, RFC 7030 4", "base64 PKCS#10 with CRLF every 64",
                        "200 with an LDevID", c -> enrollVariant(c, true, true)).needs(ENROLL),
                required("est-simpleenroll-without-voucher", "RFC 8995 5.3, 5.9.3",
                        "simpleenroll by a new IDevID that obtained no voucher", "4xx naming the missing voucher or"
                                + " authorization", EstCases::withoutVoucher).needs(ENROLL),
                required("est-simpleenroll-bad-csr-signature", "RFC 7030 3.4, 4.2.1",
                        "CSR whose signature does not verify (no proof of possession)",
                        "4xx naming the signature or proof of possession", c -> refusedCsr(c, false)).needs(ENROLL),
                required("est-simpleenroll-other-serial", "RFC 8995 2.3.1, 5.9.3",
                        "CSR naming another device's serialNumber",
                        "4xx naming the serialNumber, or an LDevID that carries the pledge's own serialNumber",
                        EstCases::otherSerial).needs(ENROLL),
                required("est-simpleenroll-wrong-content-type", "RFC 7030 4.2.1", "CSR sent as application/json",
                        "4xx naming the media type (415 appropriate)", c -> refusedCsr(c, true)).needs(ENROLL),
                required("est-simpleenroll-not-der", "RFC 7030 4.2.1", "base64 of random bytes as CSR",
                        "4xx naming the malformed CSR", c -> refusedBody(c, Artifacts.base64(VoucherCases.random(c,
                                300), false), NOT_A_CSR)).needs(ENROLL),
                optional("est-simplereenroll-ldevid", "RFC 7030 4.2.2, RFC 8995 5.9.3",
                        "simplereenroll authenticated with the LDevID, same subject, new key",
                        "200 certs-only: a certificate for the new key with the LDevID's subject",
                        EstCases::reenroll).needs(ENROLL),
                required("est-simpleenroll-oversized", "RFC 7030 4.2.1", "1 MiB CSR body",
                        "4xx naming the size (413); closing the connection is no answer", c -> refusedBody(c,
                                VoucherCases.random(c, 1024 * 1024), Refusal.because("the size", Refusal.TOO_LARGE)))
                        .needs(ENROLL));
    }

    private static Observation caCerts(InteropContext c) throws InteropException {
        HeldCertificate pledge = c.knownPledge();
        try (PeerSession s = c.registrarSession(pledge)) {
            Flows.obtainVoucher(c, s, pledge);
            HttpReply reply = s.get(Flows.CACERTS, Flows.PKCS7);
            if (reply.status() != 200 || !reply.mediaType().equals(Flows.PKCS7)) {
                return Expect.unexpected(reply);
            }
            List<X509Certificate> certificates = Flows.certsOnly(reply);
            List<X509Certificate> tls = s.serverChain();
            try {
                CertPaths.validate(tls.get(0), tls.subList(1, tls.size()), certificates, c.clock().instant());
            } catch (PkixException e) {
                return Observation.unmet(certificates.size() + " certificate(s); the registrar's TLS chain does not "
                        + "validate to any: " + e.getMessage());
            }
            return Observation.met(certificates.size() + " certificate(s): " + names(certificates));
        }
    }

    private static Observation caCertsBase64(InteropContext c) throws InteropException {
        try (PeerSession s = c.registrarSession(c.knownPledge())) {
            HttpReply reply = s.get(Flows.CACERTS, Flows.PKCS7);
            if (reply.status() != 200) {
                return Expect.unexpected(reply);
            }
            byte[] body = reply.body();
            boolean binary = body.length > 0 && body[0] == 0x30;
            Flows.certsOnly(reply);
            return Observation.of(!binary, (binary ? "binary DER" : "base64 text") + ", Content-Transfer-Encoding "
                    + reply.header("content-transfer-encoding").orElse("absent"));
        }
    }

    private static Observation caCertsAny(InteropContext c) throws InteropException {
        try (PeerSession s = c.registrarSession(c.knownPledge())) {
            HttpReply reply = s.get(Flows.CACERTS, "*/*");
            Observation ok = Expect.ok(reply, Flows.PKCS7);
            return ok.met() ? Observation.met(ok.observed() + ", " + Flows.certsOnly(reply).size()
                    + " certificate(s)") : ok;
        }
    }

    private static Observation csrAttrs(InteropContext c) throws InteropException {
        HeldCertificate pledge = c.knownPledge();
        try (PeerSession s = c.registrarSession(pledge)) {
            Flows.obtainVoucher(c, s, pledge);
            HttpReply reply = s.get(Flows.CSRATTRS, Flows.CSRATTRS_TYPE);
            if (reply.status() == 204 || reply.status() == 404) {
                return Observation.met(Replies.describe(reply) + " (no attributes)");
            }
            if (reply.status() != 200) {
                return Expect.unexpected(reply);
            }
            try {
                CsrAttributes attributes = EstCodec.csrAttributes(Step.CSR_ATTRIBUTES, reply.body());
                return Observation.met(Replies.describe(reply) + ", " + attributes.oids().size() + " attribute(s) "
                        + attributes.oids());
            } catch (PledgeException e) {
                return Observation.unmet(Replies.describe(reply) + ": " + e.getMessage());
            }
        }
    }

    private static Observation enrollVariant(InteropContext c, boolean cte, boolean lineBreaks)
            throws InteropException {
        HeldCertificate pledge = c.knownPledge();
        try (PeerSession s = c.registrarSession(pledge)) {
            Flows.obtainVoucher(c, s, pledge);
            KeyPair keys = Flows.newKey(c, pledge);
            String serial = Flows.serial(pledge);
            byte[] body = Artifacts.base64(Artifacts.der(Artifacts.csr("interop " + serial, serial, keys)),
                    lineBreaks);
            Map<String, String> headers = PeerSession.headers(Flows.PKCS10, Flows.PKCS7);
            if (cte) {
                headers.put("Content-Transfer-Encoding", "base64");
            }
            HttpReply reply = s.send("POST", Flows.SIMPLE_ENROLL, headers, body);
            if (reply.status() != 200) {
                return Expect.unexpected(reply);
            }
            X509Certificate ldevid = issuedFor(reply, keys);
            String issuedSerial = DeviceCertificates.serialNumber(ldevid).orElse("(none)");
            if (!issuedSerial.equals(serial)) {
                return Observation.unmet("the LDevID carries serialNumber '" + issuedSerial + "'");
            }
            List<X509Certificate> anchors = Flows.certsOnly(s.get(Flows.CACERTS, Flows.PKCS7));
            try {
                CertPaths.validate(ldevid, withIssuers(reply, anchors), anchors, c.clock().instant());
            } catch (PkixException e) {
                return Observation.unmet("the LDevID does not chain to /cacerts: " + e.getMessage());
            }
            return Observation.met("LDevID '" + DeviceCertificates.displayName(ldevid.getSubjectX500Principal())
                    + "' issued by '" + DeviceCertificates.displayName(ldevid.getIssuerX500Principal()) + "'");
        }
    }

    /** The certificate of a certs-only answer that certifies {@code keys}. */
    static X509Certificate issuedFor(HttpReply reply, KeyPair keys) throws InteropException {
        for (X509Certificate certificate : Flows.certsOnly(reply)) {
            if (MessageDigest.isEqual(certificate.getPublicKey().getEncoded(), keys.getPublic().getEncoded())) {
                return certificate;
            }
        }
        throw new InteropException("no certificate of the answer certifies the CSR's key");
    }

    private static List<X509Certificate> withIssuers(HttpReply reply, List<X509Certificate> anchors)
            throws InteropException {
        List<X509Certificate> all = new ArrayList<>(Flows.certsOnly(reply));
        all.addAll(anchors);
        return all;
    }

    private static Observation withoutVoucher(InteropContext c) throws InteropException {
        HeldCertificate fresh = c.freshPledge();
        try (PeerSession s = c.registrarSession(fresh)) {
            String serial = Flows.serial(fresh);
            byte[] body = Artifacts.base64(Artifacts.der(Artifacts.csr("interop " + serial, serial,
                    Flows.newKey(c, fresh))), false);
            return Refusal.because("the missing voucher", "voucher|authori|forbidden|not allowed|permi|unknown"
                    + "|trust|idevid|pledge").judge(s.attempt("POST", Flows.SIMPLE_ENROLL,
                            PeerSession.headers(Flows.PKCS10, Flows.PKCS7), body));
        }
    }

    private static Observation refusedCsr(InteropContext c, boolean wrongType) throws InteropException {
        HeldCertificate pledge = c.knownPledge();
        try (PeerSession s = c.registrarSession(pledge)) {
            Flows.obtainVoucher(c, s, pledge);
            String serial = Flows.serial(pledge);
            byte[] der = Artifacts.der(Artifacts.csr("interop " + serial, serial, Flows.newKey(c, pledge)));
            byte[] body = Artifacts.base64(wrongType ? der : Artifacts.corruptLastByte(der), false);
            Refusal refusal = wrongType ? Refusal.because("the media type", Refusal.MEDIA_TYPE + "|pkcs10")
                    : Refusal.because("the CSR signature", Refusal.SIGNATURE + "|proof|possession|pop\\b");
            return refusal.judge(s.attempt("POST", Flows.SIMPLE_ENROLL, PeerSession.headers(
                    wrongType ? Flows.JSON : Flows.PKCS10, Flows.PKCS7), body));
        }
    }

    private static Observation otherSerial(InteropContext c) throws InteropException {
        HeldCertificate pledge = c.knownPledge();
        try (PeerSession s = c.registrarSession(pledge)) {
            Flows.obtainVoucher(c, s, pledge);
            KeyPair keys = Flows.newKey(c, pledge);
            String other = "other-" + Flows.serial(pledge);
            byte[] body = Artifacts.base64(Artifacts.der(Artifacts.csr("interop " + other, other, keys)), false);
            Attempt attempt = s.attempt("POST", Flows.SIMPLE_ENROLL, PeerSession.headers(Flows.PKCS10, Flows.PKCS7),
                    body);
            if (attempt.reply().isEmpty() || attempt.reply().get().status() != 200) {
                return Refusal.because("the serialNumber", "serial|subject|name|identity|idevid|match")
                        .judge(attempt);
            }
            X509Certificate ldevid = issuedFor(attempt.reply().get(), keys);
            String issued = DeviceCertificates.serialNumber(ldevid).orElse("(none)");
            return Observation.of(issued.equals(Flows.serial(pledge)), "200; the LDevID carries serialNumber '"
                    + issued + "'");
        }
    }

    private static Observation refusedBody(InteropContext c, byte[] body, Refusal refusal) throws InteropException {
        HeldCertificate pledge = c.knownPledge();
        try (PeerSession s = c.registrarSession(pledge)) {
            Flows.obtainVoucher(c, s, pledge);
            return refusal.judge(s.attempt("POST", Flows.SIMPLE_ENROLL, PeerSession.headers(Flows.PKCS10,
                    Flows.PKCS7), body));
        }
    }

    /**
     * Obtains a voucher and an LDevID for {@code pledge}, usable as a TLS client identity.
     *
     * @throws InteropException "precondition: ..." when the registrar does not deliver one
     */
    static HeldCertificate enrollLdevid(InteropContext c, HeldCertificate pledge) throws InteropException {
        try (PeerSession s = c.registrarSession(pledge)) {
            Flows.obtainVoucher(c, s, pledge);
            KeyPair keys = Flows.newKey(c, pledge);
            String serial = Flows.serial(pledge);
            HttpReply reply = s.post(Flows.SIMPLE_ENROLL, Flows.PKCS10, Flows.PKCS7,
                    Artifacts.base64(Artifacts.der(Artifacts.csr("interop " + serial, serial, keys)), false));
            if (reply.status() != 200) {
                throw new InteropException("precondition (enrollment): " + Replies.describe(reply));
            }
            X509Certificate certificate = issuedFor(reply, keys);
            List<X509Certificate> issuers = Flows.certsOnly(s.get(Flows.CACERTS, Flows.PKCS7)).stream()
                    .filter(ca -> ca.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())).toList();
            try {
                return HeldCertificate.of(keys.getPrivate(), certificate, issuers.isEmpty() ? List.of()
                        : issuers.subList(0, 1));
            } catch (IllegalArgumentException e) {
                throw new InteropException("precondition (LDevID usable as TLS identity): " + e.getMessage(), e);
            }
        }
    }

    private static Observation reenroll(InteropContext c) throws InteropException {
        HeldCertificate ldevid = enrollLdevid(c, c.knownPledge());
        KeyPair keys = Flows.newKey(c, ldevid);
        org.bouncycastle.asn1.x500.X500Name subject = org.bouncycastle.asn1.x500.X500Name.getInstance(
                ldevid.certificate().getSubjectX500Principal().getEncoded());
        byte[] body = Artifacts.base64(Artifacts.der(EstCodec.certificationRequest(subject, keys,
                java.util.Optional.empty())), false);
        try (PeerSession s = c.registrarSession(ldevid)) {
            HttpReply reply = s.post("/.well-known/est/simplereenroll", Flows.PKCS10, Flows.PKCS7, body);
            if (reply.status() != 200) {
                return Expect.unexpected(reply);
            }
            X509Certificate renewed = issuedFor(reply, keys);
            boolean same = renewed.getSubjectX500Principal().equals(ldevid.certificate().getSubjectX500Principal());
            return Observation.of(same, "renewed '" + DeviceCertificates.displayName(renewed
                    .getSubjectX500Principal()) + "'" + (same ? "" : ", subject changed"));
        }
    }

    private static String names(List<X509Certificate> certificates) {
        List<String> names = new ArrayList<>();
        for (X509Certificate certificate : certificates) {
            names.add("'" + DeviceCertificates.displayName(certificate.getSubjectX500Principal()) + "'");
        }
        return String.join(", ", names);
    }
}
