package org.brski.pkix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Text DNs as nqminds brski sends them in idevid-issuer, compared by attribute values. */
class TextNamesTest {
    /** C=IE (PrintableString), CN=idevca (UTF8String): the issuer of the nqminds test IDevID. */
    private static final X500Principal IDEVCA = name(new DERPrintableString("IE"), new DERUTF8String("idevca"));

    private static X500Principal name(ASN1Encodable country, ASN1Encodable commonName) {
        X500Name name = new X500Name(new RDN[] {new RDN(new AttributeTypeAndValue(BCStyle.C, country)),
                new RDN(new AttributeTypeAndValue(BCStyle.CN, commonName))});
        try {
            return new X500Principal(name.getEncoded());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void printsLikeOpenssl() {
        assertEquals("C = IE, CN = idevca", TextNames.oneLine(IDEVCA));
        X500Principal device = new X500Principal("SERIALNUMBER=idev-serial12345,CN=idev-meta,C=IE");
        assertEquals("C = IE, CN = idev-meta, serialNumber = idev-serial12345", TextNames.oneLine(device));
    }

    @ParameterizedTest
    @ValueSource(strings = {"C = IE, CN = idevca", "C=IE,CN=idevca", "CN=idevca, C=IE", "/C=IE/CN=idevca",
        "c = IE, cn = idevca", " C = IE ,  CN = idevca "})
    void matchesTheSameAttributesInEitherOrderAndSpelling(String text) {
        assertTrue(TextNames.matches(text, IDEVCA), text);
    }

    @Test
    void comparesValuesNotStringTypes() {
        X500Principal utf8Country = name(new DERUTF8String("IE"), new DERPrintableString("idevca"));
        assertTrue(TextNames.matches("C = IE, CN = idevca", utf8Country));
    }

    @ParameterizedTest
    @ValueSource(strings = {"C = IE, CN = otherca", "C = IE, CN = IDEVCA", "C = IE", "C = IE, CN = idevca, O = x",
        "CN = idevca, C = IE, CN = idevca", "C = IE, XX = idevca", "C IE, CN idevca", "", "C = , CN = idevca",
        "C = IE, CN = idev=ca"})
    void refusesAnythingElse(String text) {
        assertFalse(TextNames.matches(text, IDEVCA), text);
    }
}
