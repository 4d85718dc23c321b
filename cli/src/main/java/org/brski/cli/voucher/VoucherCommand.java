package org.brski.cli.voucher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import org.brski.pkix.DeviceCertificates;
import org.brski.pkix.Pem;
import org.brski.pkix.PkixException;
import org.brski.voucher.VoucherException;
import org.brski.voucher.VoucherJson;
import org.brski.voucher.VoucherRequest;
import org.brski.voucher.cms.CmsInput;
import org.brski.voucher.cms.CmsInspection;
import org.brski.voucher.cms.CmsInspector;
import org.brski.voucher.cms.CmsSigner;
import org.brski.voucher.cms.CmsVerifier;
import org.brski.voucher.cms.VerifiedContent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code brski voucher}: sign, verify and inspect CMS-signed vouchers and voucher-requests
 * ({@code application/voucher-cms+json}, RFC 8366 section 5.3, RFC 8995 section 3).
 */
@Command(name = "voucher", mixinStandardHelpOptions = true,
        description = "Sign, verify and inspect CMS-signed vouchers and voucher-requests.",
        subcommands = {VoucherCommand.Sign.class, VoucherCommand.Verify.class, VoucherCommand.Inspect.class})
public final class VoucherCommand {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Which artifact a JSON document holds, judged by its root member. */
    static boolean isVoucherRequest(byte[] json) {
        try {
            JsonNode root = JSON.readTree(json);
            return root != null && root.has(VoucherRequest.ROOT);
        } catch (IOException e) {
            return false; // the strict parser reports the error precisely
        }
    }

    /** Parses the payload as a voucher or voucher-request, whichever its root names. */
    static void parsePayload(byte[] json, boolean lenient) throws VoucherException {
        VoucherJson parser = lenient ? VoucherJson.lenient() : VoucherJson.strict();
        if (isVoucherRequest(json)) {
            parser.parseVoucherRequest(json);
        } else {
            parser.parseVoucher(json);
        }
    }

    /** Reads a file, failing with a message that names it. */
    static byte[] read(Path file) throws IOException {
        if (Files.size(file) > 1024 * 1024) {
            throw new IOException(file + ": larger than 1 MiB");
        }
        return Files.readAllBytes(file);
    }

    /** {@code brski voucher sign}. */
    @Command(name = "sign", mixinStandardHelpOptions = true,
            description = {"Sign a voucher or voucher-request JSON file as CMS SignedData (eContentType "
                + "id-ct-animaJSONVoucher).", "The JSON is checked against the YANG module first and signed byte for byte."})
    public static final class Sign implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--json", required = true, paramLabel = "FILE", description = "Voucher or voucher-request JSON.")
        Path json;

        @Option(names = "--key", required = true, paramLabel = "KEY.pem", description = "Signer private key (PEM).")
        Path key;

        @Option(names = "--cert", required = true, paramLabel = "CERT.pem", description = "Signer certificate (PEM).")
        Path cert;

        @Option(names = "--chain", paramLabel = "PEM", description = "Further certificates to embed (repeatable).")
        List<Path> chain = new ArrayList<>();

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the CMS.")
        Path out;

        @Option(names = "--format", defaultValue = "der", paramLabel = "der|base64|pem",
                description = "Output encoding (default: ${DEFAULT-VALUE}).")
        String format;

        @Option(names = "--id-data", description = "Use eContentType id-data instead of id-ct-animaJSONVoucher.")
        boolean idData;

        @Option(names = "--lenient", description = "Accept JSON that only the lenient parser accepts.")
        boolean lenient;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            if (!List.of("der", "base64", "pem").contains(format)) {
                err.println("brski voucher sign: --format must be der, base64 or pem");
                return 2;
            }
            try {
                byte[] payload = read(json);
                parsePayload(payload, lenient);
                PrivateKey privateKey = Pem.readPrivateKey(key);
                X509Certificate signerCert = Pem.readCertificate(cert);
                List<X509Certificate> extra = new ArrayList<>();
                for (Path p : chain) {
                    extra.addAll(Pem.readCertificates(p));
                }
                CmsSigner signer = CmsSigner.of(privateKey, signerCert, extra);
                if (idData) {
                    signer = signer.withContentType(org.brski.voucher.cms.CmsContentTypes.DATA);
                }
                byte[] der = signer.sign(payload);
                Files.write(out, encode(der, format));
                spec.commandLine().getOut().println("signed " + json + " -> " + out + " (" + der.length
                        + " bytes DER, " + signer.signatureAlgorithm() + ")");
                return 0;
            } catch (VoucherException e) {
                err.println("brski voucher sign: " + json + ": " + e.getMessage());
                return 1;
            } catch (PkixException | IOException | IllegalArgumentException e) {
                err.println("brski voucher sign: " + e.getMessage());
                return 1;
            }
        }

        private static byte[] encode(byte[] der, String format) {
            return switch (format) {
                case "base64" -> (Base64.getEncoder().encodeToString(der) + "\n").getBytes(StandardCharsets.US_ASCII);
                case "pem" -> ("-----BEGIN CMS-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                        + "\n-----END CMS-----\n").getBytes(StandardCharsets.US_ASCII);
                default -> der;
            };
        }
    }

    /** {@code brski voucher verify}. */
    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Verify a CMS-signed voucher or voucher-request (DER, base64 or PEM, detected).",
                "On success prints the JSON payload and exits 0; otherwise prints the reason on stderr and exits 1."})
    public static final class Verify implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--in", required = true, paramLabel = "FILE", description = "The signed artifact.")
        Path in;

        @Option(names = "--trust", paramLabel = "PEM",
                description = "Trust anchor(s) the signer must chain to (repeatable). Without it: signature only.")
        List<Path> trust = new ArrayList<>();

        @Option(names = "--at", paramLabel = "RFC3339-TIME",
                description = "Validate the chain at this time instead of now, e.g. 2021-04-28T00:00:00Z.")
        String at;

        @Option(names = "--lenient", description = "Parse the payload leniently (unknown leaves, missing created-on).")
        boolean lenient;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            try {
                CmsVerifier verifier = CmsVerifier.signatureOnly();
                if (!trust.isEmpty()) {
                    List<X509Certificate> anchors = new ArrayList<>();
                    for (Path p : trust) {
                        anchors.addAll(Pem.readCertificates(p));
                    }
                    verifier = CmsVerifier.trusting(anchors);
                }
                if (at != null) {
                    verifier = verifier.at(parseTime(at));
                }
                VerifiedContent verified = verifier.verify(CmsInput.decode(read(in)));
                parsePayload(verified.content(), lenient);
                if (trust.isEmpty()) {
                    err.println("brski voucher verify: signature verified against the embedded signer certificate "
                            + "only; no --trust given, so the signer is NOT checked against any trust anchor");
                }
                PrintWriter out = spec.commandLine().getOut();
                out.println(new String(verified.content(), StandardCharsets.UTF_8));
                out.flush();
                return 0;
            } catch (VoucherException e) {
                err.println("brski voucher verify: " + e.reason().slug() + ": " + e.getMessage());
                return 1;
            } catch (PkixException | IOException | IllegalArgumentException e) {
                err.println("brski voucher verify: " + e.getMessage());
                return 1;
            }
        }

        private static Instant parseTime(String value) {
            try {
                return OffsetDateTime.parse(value).toInstant();
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("--at must be an RFC 3339 time such as 2021-04-28T00:00:00Z, not '"
                        + value + "'");
            }
        }
    }

    /** {@code brski voucher inspect}. */
    @Command(name = "inspect", mixinStandardHelpOptions = true,
            description = "Print what a CMS-signed artifact contains, without judging signature or trust.")
    public static final class Inspect implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--in", required = true, paramLabel = "FILE", description = "The signed artifact.")
        Path in;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try {
                CmsInspection cms = CmsInspector.inspect(CmsInput.decode(read(in)));
                out.println("eContentType: " + cms.contentType() + " (" + contentTypeName(cms.contentType()) + ")");
                cms.signingTime().ifPresent(t -> out.println("signingTime:  " + t));
                for (CmsInspection.Signer s : cms.signers()) {
                    out.println("signer:");
                    s.issuer().ifPresent(i -> out.println("  issuer:  " + i));
                    s.serialNumber().ifPresent(n -> out.println("  serial:  0x" + n.toString(16)));
                    s.subjectKeyIdentifier().ifPresent(k -> out.println("  ski:     " + HexFormat.of().formatHex(k)));
                    out.println("  digest:  " + s.digestAlgorithm() + ", signature: " + s.signatureAlgorithm());
                }
                out.println("certificates: " + cms.certificates().size());
                for (X509Certificate c : cms.certificates()) {
                    out.println("  - subject: " + DeviceCertificates.displayName(c.getSubjectX500Principal()));
                    out.println("    issuer:  " + DeviceCertificates.displayName(c.getIssuerX500Principal()));
                    out.println("    serial:  0x" + c.getSerialNumber().toString(16) + ", valid " + c.getNotBefore().toInstant()
                            + " .. " + c.getNotAfter().toInstant());
                }
                out.println("payload:");
                out.println(cms.content().map(b -> new String(b, StandardCharsets.UTF_8)).orElse("(detached: none)"));
                out.flush();
                return 0;
            } catch (VoucherException e) {
                spec.commandLine().getErr().println("brski voucher inspect: " + e.reason().slug() + ": " + e.getMessage());
                return 1;
            } catch (IOException e) {
                spec.commandLine().getErr().println("brski voucher inspect: " + e.getMessage());
                return 1;
            }
        }

        private static String contentTypeName(String oid) {
            return switch (oid) {
                case org.brski.voucher.cms.CmsContentTypes.ANIMA_JSON_VOUCHER -> "id-ct-animaJSONVoucher";
                case org.brski.voucher.cms.CmsContentTypes.DATA -> "id-data";
                default -> "unrecognised";
            };
        }
    }
}
