package org.brski.fieldbus.keys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.ASN1UTF8String;
import org.bouncycastle.asn1.BERTags;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.DERUTF8String;
import org.brski.fieldbus.FieldbusException;
import org.brski.fieldbus.KeyRole;
import org.brski.fieldbus.crypto.KeyId;
import org.brski.fieldbus.crypto.KeyStrength;

/**
 * A machine's key package: RFC 6031 {@code SymmetricKeyPackage} (content type {@code id-ct-KP-sKeyPackage},
 * 1.2.840.113549.1.9.16.1.25), the DER that {@link KeyPackageCms} envelopes.
 *
 * <p>Mapping (RFC 6031 section 3 attributes, all UTF8String unless noted):
 * <ul>
 * <li>package attribute {@code id-pskc-deviceBinding} (…12.5): the machine identifier;</li>
 * <li>per key {@code id-pskc-keyId} (…12.9): the 32-bit Key ID as 8 lower-case hex digits (EmSA WP-104 3.5);</li>
 * <li>per key {@code id-pskc-friendlyName} (…12.14, {@code SEQUENCE { UTF8String }}): {@code integrator-key},
 * {@code operator-key} or {@code provisioning-key};</li>
 * <li>per key {@code id-pskc-algorithm} (…12.10): {@value #ALGORITHM} — a WP-104 base key whose session keys are
 * HKDF-SHA-256 derived and used with AES-128-GCM;</li>
 * <li>per key {@code id-pskc-keyReference} (…12.13): {@code integrator/r<revision>}, {@code operator/r<revision>} or
 * {@code provisioning/node-<serial as 8 hex digits>};</li>
 * <li>{@code sKey}: the key bytes (16, 24 or 32).</li>
 * </ul>
 * Decoding is strict: unknown attributes, duplicates, missing keys or a second Integrator Key are refused.
 */
public final class SymmetricKeyPackage {
    /** {@code id-ct-KP-sKeyPackage} (RFC 6031 section 1.1). */
    public static final ASN1ObjectIdentifier CONTENT_TYPE = new ASN1ObjectIdentifier("1.2.840.113549.1.9.16.1.25");
    /** Algorithm URI of every key in our packages. */
    public static final String ALGORITHM = "urn:brski:params:fieldbus:wp104-base-key:hkdf-sha256:aes128-gcm";
    /** Largest package accepted (DER bytes). */
    public static final int MAX_BYTES = 256 * 1024;
    /**
     * Most keys in one package: two machine keys and one Provisioning Key per node (a CANopen segment has at most 127),
     * with room to spare. Bounded so that every package {@link #of} accepts encodes within {@link #MAX_BYTES} (a
     * OneSymmetricKey with a 32-byte key takes at most about 240 bytes) and therefore decodes again.
     */
    public static final int MAX_KEYS = 1024;

    private static final ASN1ObjectIdentifier PSKC = new ASN1ObjectIdentifier("1.2.840.113549.1.9.16.12");
    static final ASN1ObjectIdentifier DEVICE_BINDING = PSKC.branch("5");
    static final ASN1ObjectIdentifier KEY_ID = PSKC.branch("9");
    static final ASN1ObjectIdentifier ALGORITHM_ATTR = PSKC.branch("10");
    static final ASN1ObjectIdentifier KEY_REFERENCE = PSKC.branch("13");
    static final ASN1ObjectIdentifier FRIENDLY_NAME = PSKC.branch("14");
    private static final Pattern REVISION_REF = Pattern.compile("(integrator|operator)/r(0|[1-9][0-9]{0,9})");
    private static final Pattern NODE_REF = Pattern.compile("provisioning/node-([0-9a-f]{8})");
    private static final Pattern HEX8 = Pattern.compile("[0-9a-f]{8}");
    private static final int MAX_MACHINE_ID = 128;

    private final String machineId;
    private final List<PackagedKey> keys;

    private SymmetricKeyPackage(String machineId, List<PackagedKey> keys) {
        this.machineId = machineId;
        this.keys = keys;
    }

    /**
     * A package for one machine: at most one Integrator and one Operator Key, Provisioning Keys of distinct nodes.
     *
     * @throws IllegalArgumentException when the machine id is empty, too long or has control characters, when there
     *                                  are no keys, too many, or duplicates of a role or node
     */
    public static SymmetricKeyPackage of(String machineId, List<PackagedKey> keys) {
        checkMachineId(machineId);
        List<PackagedKey> copy = List.copyOf(keys);
        String problem = duplicates(copy);
        if (copy.isEmpty() || copy.size() > MAX_KEYS || problem != null) {
            throw new IllegalArgumentException(problem != null ? problem
                    : "a key package holds 1.." + MAX_KEYS + " keys (RFC 6031 SymmetricKeys SIZE (1..MAX))");
        }
        return new SymmetricKeyPackage(machineId, copy);
    }

    /** The machine the keys belong to. */
    public String machineId() {
        return machineId;
    }

    /** Every key, in package order. */
    public List<PackagedKey> keys() {
        return keys;
    }

    /** The machine-wide key of a role ({@link KeyRole#INTEGRATOR} or {@link KeyRole#OPERATOR}). */
    public Optional<PackagedKey> key(KeyRole role) {
        return keys.stream().filter(k -> k.role() == role && k.nodeSerial().isEmpty()).findFirst();
    }

    /** The Provisioning Key of the node with this serial number. */
    public Optional<PackagedKey> provisioningKey(long nodeSerial) {
        return keys.stream().filter(k -> k.nodeSerial().isPresent() && k.nodeSerial().getAsLong() == nodeSerial)
                .findFirst();
    }

    /** The DER encoding of the RFC 6031 {@code SymmetricKeyPackage}. */
    public byte[] encoded() {
        ASN1EncodableVector sKeys = new ASN1EncodableVector();
        for (PackagedKey key : keys) {
            sKeys.add(new DERSequence(new ASN1Encodable[] {
                new DERSequence(new ASN1Encodable[] {
                    attribute(KEY_ID, new DERUTF8String(String.format("%08x", key.keyId()))),
                    attribute(FRIENDLY_NAME, new DERSequence(new DERUTF8String(friendlyName(key.role())))),
                    attribute(ALGORITHM_ATTR, new DERUTF8String(ALGORITHM)),
                    attribute(KEY_REFERENCE, new DERUTF8String(reference(key))) }),
                new DEROctetString(key.key()) }));
        }
        // version DEFAULT v1 is omitted in DER (X.690 11.5)
        ASN1Encodable pkgAttrs = new DERTaggedObject(false, 0,
                new DERSequence(attribute(DEVICE_BINDING, new DERUTF8String(machineId))));
        try {
            return new DERSequence(new ASN1Encodable[] { pkgAttrs, new DERSequence(sKeys) }).getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException("DER encoding in memory failed", e);
        }
    }

    /**
     * Parses a package produced by {@link #encoded()} or by another RFC 6031 implementation using the same attributes.
     *
     * @throws FieldbusException {@code malformed-key-package} naming what is wrong
     */
    public static SymmetricKeyPackage decode(byte[] der) throws FieldbusException {
        Objects.requireNonNull(der, "der");
        if (der.length > MAX_BYTES) {
            throw malformed("the key package is larger than " + MAX_BYTES + " bytes");
        }
        try {
            ASN1Primitive top = ASN1Primitive.fromByteArray(der);
            if (!(top instanceof ASN1Sequence seq) || !java.util.Arrays.equals(top.getEncoded(ASN1Encoding.DER), der)) {
                throw malformed("not a DER SymmetricKeyPackage SEQUENCE");
            }
            int i = 0;
            if (i < seq.size() && seq.getObjectAt(i) instanceof ASN1Integer version) {
                if (version.intValueExact() != 1) {
                    throw malformed("unsupported KeyPkgVersion " + version.getValue() + " (RFC 6031: v1)");
                }
                i++;
            }
            String machine = null;
            if (i < seq.size() && seq.getObjectAt(i) instanceof ASN1TaggedObject tagged) {
                if (tagged.getTagClass() != BERTags.CONTEXT_SPECIFIC || tagged.getTagNo() != 0) {
                    throw malformed("unexpected tagged field in SymmetricKeyPackage");
                }
                machine = packageAttributes(ASN1Sequence.getInstance(tagged, false));
                i++;
            }
            if (machine == null) {
                throw malformed("the package names no machine (id-pskc-deviceBinding missing)");
            }
            if (i != seq.size() - 1) {
                throw malformed("SymmetricKeyPackage has unexpected fields");
            }
            ASN1Sequence sKeys = ASN1Sequence.getInstance(seq.getObjectAt(i));
            if (sKeys.size() == 0 || sKeys.size() > MAX_KEYS) {
                throw malformed("a package holds 1.." + MAX_KEYS + " keys");
            }
            List<PackagedKey> keys = new ArrayList<>();
            for (ASN1Encodable one : sKeys) {
                keys.add(oneKey(ASN1Sequence.getInstance(one)));
            }
            String duplicate = duplicates(keys);
            if (duplicate != null) {
                throw malformed(duplicate);
            }
            try {
                checkMachineId(machine);
            } catch (IllegalArgumentException e) {
                throw malformed(e.getMessage());
            }
            return new SymmetricKeyPackage(machine, List.copyOf(keys));
        } catch (IOException | IllegalArgumentException | IllegalStateException | ArithmeticException
                | ClassCastException | IndexOutOfBoundsException e) {
            throw malformed("not a well-formed RFC 6031 SymmetricKeyPackage");
        }
    }

    private static String packageAttributes(ASN1Sequence attrs) throws FieldbusException {
        String machine = null;
        for (ASN1Encodable a : attrs) {
            ASN1Sequence attr = ASN1Sequence.getInstance(a);
            ASN1ObjectIdentifier type = attributeType(attr);
            if (!type.equals(DEVICE_BINDING) || machine != null) {
                throw malformed("unsupported or repeated package attribute " + type.getId());
            }
            machine = utf8(single(attr));
        }
        return machine;
    }

    private static PackagedKey oneKey(ASN1Sequence one) throws FieldbusException {
        if (one.size() != 2) {
            throw malformed("every OneSymmetricKey must carry attributes and the key");
        }
        ASN1Sequence attrs = ASN1Sequence.getInstance(one.getObjectAt(0));
        byte[] key = ASN1OctetString.getInstance(one.getObjectAt(1)).getOctets();
        Long keyId = null;
        String name = null;
        String algorithm = null;
        String reference = null;
        Set<ASN1ObjectIdentifier> seen = new HashSet<>();
        for (ASN1Encodable a : attrs) {
            ASN1Sequence attr = ASN1Sequence.getInstance(a);
            ASN1ObjectIdentifier type = attributeType(attr);
            if (!seen.add(type)) {
                throw malformed("repeated key attribute " + type.getId());
            }
            ASN1Encodable value = single(attr);
            if (type.equals(KEY_ID)) {
                String hex = utf8(value);
                if (!HEX8.matcher(hex).matches()) {
                    throw malformed("id-pskc-keyId must be 8 lower-case hex digits");
                }
                keyId = Long.parseLong(hex, 16);
            } else if (type.equals(FRIENDLY_NAME)) {
                ASN1Sequence friendly = ASN1Sequence.getInstance(value);
                if (friendly.size() != 1) {
                    throw malformed("id-pskc-friendlyName is a SEQUENCE of one UTF8String");
                }
                name = utf8(friendly.getObjectAt(0));
            } else if (type.equals(ALGORITHM_ATTR)) {
                algorithm = utf8(value);
            } else if (type.equals(KEY_REFERENCE)) {
                reference = utf8(value);
            } else {
                throw malformed("unsupported key attribute " + type.getId());
            }
        }
        if (keyId == null || name == null || reference == null || !ALGORITHM.equals(algorithm)) {
            throw malformed("a key lacks its Key ID, name, reference or our algorithm URI");
        }
        if (KeyId.isReserved(keyId)) {
            throw malformed("Key ID " + KeyId.hex(keyId) + " is reserved (EmSA WP-104 6)");
        }
        if (!KeyStrength.isValidLength(key.length)) {
            throw malformed("a key is 16, 24 or 32 bytes");
        }
        Matcher revision = REVISION_REF.matcher(reference);
        Matcher node = NODE_REF.matcher(reference);
        if (revision.matches() && name.equals(revision.group(1) + "-key")) {
            int rev = Integer.parseInt(revision.group(2));
            return revision.group(1).equals("integrator") ? PackagedKey.integrator(key, keyId, rev)
                    : PackagedKey.operator(key, keyId, rev);
        }
        if (node.matches() && name.equals("provisioning-key")) {
            return PackagedKey.provisioning(Long.parseLong(node.group(1), 16), key, keyId);
        }
        throw malformed("key reference and friendly name do not name a known key");
    }

    /** The type of an RFC 5652 {@code Attribute}; checks the shape first, so no index is read that is not there. */
    private static ASN1ObjectIdentifier attributeType(ASN1Sequence attr) throws FieldbusException {
        if (attr.size() != 2) {
            throw malformed("an attribute is a type and a set of values");
        }
        return ASN1ObjectIdentifier.getInstance(attr.getObjectAt(0));
    }

    private static ASN1Encodable single(ASN1Sequence attr) throws FieldbusException {
        ASN1Set values = ASN1Set.getInstance(attr.getObjectAt(1));
        if (values.size() != 1) {
            throw malformed("attribute " + attr.getObjectAt(0) + " must have exactly one value");
        }
        return values.getObjectAt(0);
    }

    private static String utf8(ASN1Encodable value) throws FieldbusException {
        if (!(value instanceof ASN1UTF8String s)) {
            throw malformed("an attribute value must be a UTF8String");
        }
        return s.getString();
    }

    private static DERSequence attribute(ASN1ObjectIdentifier type, ASN1Encodable value) {
        return new DERSequence(new ASN1Encodable[] { type, new DERSet(value) });
    }

    private static String friendlyName(KeyRole role) {
        return role.name().toLowerCase(Locale.ROOT) + "-key";
    }

    private static String reference(PackagedKey key) {
        return key.nodeSerial().isPresent()
                ? String.format("provisioning/node-%08x", key.nodeSerial().getAsLong())
                : key.role().name().toLowerCase(Locale.ROOT) + "/r" + key.revision();
    }

    private static void checkMachineId(String machineId) {
        Objects.requireNonNull(machineId, "machineId");
        if (machineId.isEmpty() || machineId.length() > MAX_MACHINE_ID
                || machineId.codePoints().anyMatch(Character::isISOControl)
                || machineId.getBytes(StandardCharsets.UTF_8).length > MAX_MACHINE_ID * 4) {
            throw new IllegalArgumentException("a machine id is 1.." + MAX_MACHINE_ID
                    + " characters without control characters");
        }
    }

    /** A description of the first duplicate, or null. */
    private static String duplicates(List<PackagedKey> keys) {
        Set<String> seen = new HashSet<>();
        for (PackagedKey key : keys) {
            if (key.role() == KeyRole.MARKER) {
                return "the commissioning marker is not a key to deliver";
            }
            if (!seen.add(reference(key).replaceAll("/r[0-9]+$", ""))) {
                return "duplicate " + reference(key) + " in one package";
            }
        }
        return null;
    }

    private static FieldbusException malformed(String message) {
        return new FieldbusException("malformed-key-package", message);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SymmetricKeyPackage p && machineId.equals(p.machineId) && keys.equals(p.keys);
    }

    @Override
    public int hashCode() {
        return Objects.hash(machineId, keys);
    }

    /** Machine and keys by role and Key ID; never key bytes. */
    @Override
    public String toString() {
        return "key package for machine " + machineId + ": " + keys;
    }
}
