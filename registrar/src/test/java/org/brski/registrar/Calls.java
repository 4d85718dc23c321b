package org.brski.registrar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.brski.pkix.Crypto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** HTTP helpers and assertions shared by the registrar tests. */
public final class Calls {
    public static final ObjectMapper JSON = new ObjectMapper();

    private Calls() {
    }

    public static HttpResponse<byte[]> post(HttpClient client, URI base, String path, byte[] body, String contentType,
            String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    public static HttpResponse<byte[]> get(HttpClient client, URI base, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Asserts a problem answer and returns its JSON. */
    public static JsonNode assertProblem(HttpResponse<byte[]> response, int status, String slug) throws Exception {
        String body = new String(response.body(), StandardCharsets.UTF_8);
        assertEquals(status, response.statusCode(), body);
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
        JsonNode problem = JSON.readTree(body);
        assertEquals(status, problem.get("status").asInt());
        assertEquals("urn:brski:problem:" + slug, problem.get("type").asText(), body);
        assertTrue(problem.get("detail").asText().length() > 5, body);
        assertTrue(!body.contains("Exception") && !body.contains("at org."), "leaks internals: " + body);
        if (status == 401) { // RFC 9110 15.5.2: every 401 carries a challenge
            assertEquals("TLS-Client-Certificate realm=\"brski\"",
                    response.headers().firstValue("WWW-Authenticate").orElse("(none)"));
        }
        return problem;
    }

    /** The certificates in a base64 certs-only PKCS#7 body. */
    public static List<X509Certificate> certsOnly(byte[] base64Body) throws Exception {
        byte[] der = Base64.getMimeDecoder().decode(base64Body);
        CMSSignedData signed = new CMSSignedData(der);
        assertEquals(0, signed.getSignerInfos().size());
        List<X509Certificate> out = new ArrayList<>();
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        for (X509CertificateHolder h : signed.getCertificates().getMatches(null)) {
            out.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(h.getEncoded())));
        }
        return out;
    }

    /** A CSR for {@code subject} signed by {@code key}, as base64 text with line breaks. */
    public static byte[] csr(KeyPair key, String subject) throws Exception {
        PKCS10CertificationRequest csr = new JcaPKCS10CertificationRequestBuilder(new X500Name(subject), key.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(Crypto.provider())
                        .build(key.getPrivate()));
        return Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encode(csr.getEncoded());
    }
}
