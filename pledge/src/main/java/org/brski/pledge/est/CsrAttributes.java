package org.brski.pledge.est;

import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.Extensions;

/**
 * What the registrar asks the pledge to put into its certification request, from EST {@code /csrattrs}
 * (RFC 7030 section 4.5, RFC 8995 section 5.9.2). Immutable. Only the parts a pledge acts on are interpreted: the
 * extensions requested through an {@code extensionRequest} attribute (e.g. the ACP node name of RFC 8994 6.2.2) and
 * an EC curve named by an {@code id-ecPublicKey} attribute; every other OID is kept for reporting.
 *
 * @param oids the bare OIDs and the attribute types listed, in order
 * @param extensions extensions to request, if the registrar named any
 * @param ecCurve the curve an {@code id-ecPublicKey} attribute asks for, if any
 */
public record CsrAttributes(List<ASN1ObjectIdentifier> oids, Optional<Extensions> extensions,
        Optional<ASN1ObjectIdentifier> ecCurve) {
    /** No attributes (the registrar answered 204 or 404). */
    public static final CsrAttributes NONE = new CsrAttributes(List.of(), Optional.empty(), Optional.empty());

    public CsrAttributes {
        oids = List.copyOf(oids);
    }

    /** Whether the registrar asked for nothing. */
    public boolean isEmpty() {
        return oids.isEmpty();
    }
}
