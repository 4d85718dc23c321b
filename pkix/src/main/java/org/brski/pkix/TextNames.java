package org.brski.pkix;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * Distinguished names as text, the way OpenSSL prints them ({@code X509_NAME_print_ex} with its default one-line
 * flags: {@code C = IE, CN = idevca}, attributes in encoded order). nqminds brski puts that text, base64-encoded, in
 * the {@code idevid-issuer} leaf of its registrar voucher-request where RFC 8995 section 5.5 expects a key identifier.
 *
 * <p>Names are compared by attribute type and value, never as whole strings: the same name prints differently in
 * different tools (order, spacing, attribute names), and the same value may be a PrintableString in one certificate
 * and a UTF8String in another. Values containing {@code ,}, {@code /} or {@code =} are not supported in text form.
 */
public final class TextNames {
    /** OpenSSL's short names where BC's differ in case; anything else uses BC's name or the dotted OID. */
    private static final Map<ASN1ObjectIdentifier, String> OPENSSL_NAMES = Map.of(
            BCStyle.SERIALNUMBER, "serialNumber", BCStyle.EmailAddress, "emailAddress", BCStyle.DC, "DC",
            BCStyle.UID, "UID");

    private TextNames() {
    }

    /** {@code name} as OpenSSL's one-line text: {@code TYPE = value} pairs in encoded order, joined by {@code ", "}. */
    public static String oneLine(X500Principal name) {
        List<String> parts = new ArrayList<>();
        for (AttributeTypeAndValue atv : attributes(name)) {
            parts.add(typeName(atv.getType()) + " = " + value(atv.getValue()));
        }
        return String.join(", ", parts);
    }

    /**
     * Whether {@code text} names {@code name}: the same attributes (type and value) in the same order, or in reverse
     * order (RFC 4514 strings list the last RDN first). Accepts OpenSSL's one-line form ({@code C = IE, CN = x}), RFC
     * 4514-like text ({@code CN=x,C=IE}) and OpenSSL's old slash form ({@code /C=IE/CN=x}); attribute names are
     * case-insensitive. False for text that is none of these.
     */
    public static boolean matches(String text, X500Principal name) {
        List<String[]> parsed = parse(text);
        if (parsed.isEmpty()) {
            return false;
        }
        List<AttributeTypeAndValue> actual = attributes(name);
        if (sameAttributes(parsed, actual)) {
            return true;
        }
        List<String[]> reversed = new ArrayList<>(parsed);
        Collections.reverse(reversed);
        return sameAttributes(reversed, actual);
    }

    private static boolean sameAttributes(List<String[]> text, List<AttributeTypeAndValue> actual) {
        if (text.size() != actual.size()) {
            return false;
        }
        for (int i = 0; i < text.size(); i++) {
            ASN1ObjectIdentifier type = oid(text.get(i)[0]);
            if (type == null || !type.equals(actual.get(i).getType())
                    || !text.get(i)[1].equals(value(actual.get(i).getValue()))) {
                return false;
            }
        }
        return true;
    }

    /** TYPE/value pairs of {@code text}, or an empty list when it is not a name in one of the accepted forms. */
    private static List<String[]> parse(String text) {
        String trimmed = text == null ? "" : text.trim();
        if (trimmed.isEmpty() || trimmed.length() > 1024) {
            return List.of();
        }
        String[] pieces = trimmed.startsWith("/") ? trimmed.substring(1).split("/") : trimmed.split(",");
        List<String[]> pairs = new ArrayList<>();
        for (String piece : pieces) {
            int eq = piece.indexOf('=');
            if (eq <= 0 || piece.indexOf('=', eq + 1) >= 0) {
                return List.of();
            }
            String type = piece.substring(0, eq).trim();
            String value = piece.substring(eq + 1).trim();
            if (type.isEmpty() || value.isEmpty()) {
                return List.of();
            }
            pairs.add(new String[] {type, value});
        }
        return pairs;
    }

    private static ASN1ObjectIdentifier oid(String type) {
        try {
            return BCStyle.INSTANCE.attrNameToOID(type.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static List<AttributeTypeAndValue> attributes(X500Principal name) {
        List<AttributeTypeAndValue> all = new ArrayList<>();
        for (RDN rdn : X500Name.getInstance(name.getEncoded()).getRDNs()) {
            Collections.addAll(all, rdn.getTypesAndValues());
        }
        return all;
    }

    private static String typeName(ASN1ObjectIdentifier type) {
        String name = OPENSSL_NAMES.get(type);
        if (name == null) {
            name = BCStyle.INSTANCE.oidToDisplayName(type);
        }
        return name != null ? name : type.getId();
    }

    private static String value(ASN1Encodable value) {
        return value instanceof ASN1String s ? s.getString() : value.toString();
    }
}
