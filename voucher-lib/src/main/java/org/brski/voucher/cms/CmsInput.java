package org.brski.voucher.cms;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import org.brski.voucher.VoucherException;
import org.brski.voucher.VoucherException.Reason;

/**
 * Normalises a CMS object as it arrives (a BRSKI body is binary DER, an EST body base64, RFC 8951; files and CLIs
 * often hold PEM) to DER bytes for {@link CmsVerifier}.
 */
public final class CmsInput {
    private CmsInput() {
    }

    /**
     * Detects the encoding of {@code input} and returns the DER (or BER) bytes:
     * <ul>
     *   <li>binary: a SEQUENCE whose encoded length covers exactly the input (or an indefinite-length BER SEQUENCE),
     *       returned as a copy;</li>
     *   <li>PEM: the first {@code -----BEGIN <label>-----} block whatever the label ({@code CMS}, {@code PKCS7},
     *       ...), RFC 7468, header lines ignored;</li>
     *   <li>base64: standard alphabet (base64url is tolerated), padding optional, any whitespace and line breaks
     *       ignored.</li>
     * </ul>
     * The result is only checked to start like a DER SEQUENCE; {@link CmsVerifier} judges the rest.
     *
     * @throws VoucherException MALFORMED_CMS when the input is none of these
     */
    public static byte[] decode(byte[] input) throws VoucherException {
        return decode(input, "CMS input", " (ContentInfo)");
    }

    /**
     * Like {@link #decode(byte[])} for another DER object that travels the same ways (an EST CSR, RFC 8951): the
     * messages name {@code what} (e.g. "CSR") instead of CMS.
     *
     * @throws VoucherException MALFORMED_CMS when the input is none of these
     */
    public static byte[] decodeDer(byte[] input, String what) throws VoucherException {
        return decode(input, what, "");
    }

    private static byte[] decode(byte[] input, String what, String structure) throws VoucherException {
        Objects.requireNonNull(input, "input");
        if (input.length == 0) {
            throw new VoucherException(Reason.MALFORMED_CMS, what + " is empty");
        }
        if (looksLikeDer(input)) {
            return input.clone();
        }
        int start = input.length >= 3 && (input[0] & 0xff) == 0xEF && (input[1] & 0xff) == 0xBB
                && (input[2] & 0xff) == 0xBF ? 3 : 0; // UTF-8 byte order mark
        for (int i = start; i < input.length; i++) {
            int b = input[i] & 0xff;
            if (b >= 0x7f || (b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f')) {
                throw new VoucherException(Reason.MALFORMED_CMS, input[0] == 0x30
                        ? what + " is binary but its DER length does not match the input size (truncated or"
                                + " trailing bytes)"
                        : what + " is neither DER nor base64 nor PEM (binary byte 0x"
                                + Integer.toHexString(b) + " at offset " + i + ")");
            }
        }
        String text = new String(input, start, input.length - start, StandardCharsets.US_ASCII);
        byte[] der = text.contains("-----BEGIN ") ? fromPem(text, what) : fromBase64(text, what + " (base64)");
        if (der.length == 0 || der[0] != 0x30) {
            throw new VoucherException(Reason.MALFORMED_CMS,
                    what + " decodes from text but not to a DER SEQUENCE" + structure);
        }
        return der;
    }

    private static byte[] fromPem(String text, String what) throws VoucherException {
        int begin = text.indexOf("-----BEGIN ");
        int labelEnd = text.indexOf("-----", begin + 11);
        if (labelEnd < 0) {
            throw new VoucherException(Reason.MALFORMED_CMS, what + " (PEM) has an unterminated BEGIN line");
        }
        String label = text.substring(begin + 11, labelEnd);
        String endLine = "-----END " + label + "-----";
        int end = text.indexOf(endLine, labelEnd + 5); // after the BEGIN line's dashes, which END's could overlap
        if (end < 0) {
            throw new VoucherException(Reason.MALFORMED_CMS, what + " (PEM) lacks the line '" + endLine + "'");
        }
        StringBuilder body = new StringBuilder();
        for (String line : text.substring(labelEnd + 5, end).split("\\R")) {
            if (!line.contains(":")) { // RFC 1421 headers such as Proc-Type are skipped
                body.append(line);
            }
        }
        return fromBase64(body.toString(), what + " (PEM '" + label + "')");
    }

    private static byte[] fromBase64(String text, String what) throws VoucherException {
        StringBuilder compact = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!Character.isWhitespace(c)) {
                compact.append(c);
            }
        }
        if (compact.length() == 0) {
            throw new VoucherException(Reason.MALFORMED_CMS, what + " is empty");
        }
        String data = compact.toString();
        try {
            return data.indexOf('-') >= 0 || data.indexOf('_') >= 0
                    ? Base64.getUrlDecoder().decode(data)
                    : Base64.getDecoder().decode(data);
        } catch (IllegalArgumentException e) {
            throw new VoucherException(Reason.MALFORMED_CMS, what + " is not valid base64: "
                    + e.getMessage(), e);
        }
    }

    /** A SEQUENCE tag whose definite length matches the input exactly, or an indefinite-length SEQUENCE. */
    private static boolean looksLikeDer(byte[] input) {
        if (input.length < 2 || input[0] != 0x30) {
            return false;
        }
        int first = input[1] & 0xff;
        if (first == 0x80) {
            return true; // BER indefinite length
        }
        if (first < 0x80) {
            return 2 + first == input.length;
        }
        int count = first & 0x7f;
        if (count > 4 || input.length < 2 + count) {
            return false;
        }
        long length = 0;
        for (int i = 0; i < count; i++) {
            length = (length << 8) | (input[2 + i] & 0xff);
        }
        return 2L + count + length == input.length;
    }
}
