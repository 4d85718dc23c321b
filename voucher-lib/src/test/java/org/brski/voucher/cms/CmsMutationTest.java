package org.brski.voucher.cms;

import static org.brski.voucher.cms.CmsTestSupport.resource;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.brski.voucher.VoucherException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random byte mutations of the RFC 8995 vectors: the verifier and the inspector answer only with
 * {@link VoucherException} (never a Bouncy Castle runtime exception, which an HTTP layer would turn into a 500), and
 * whatever still verifies carries exactly the original content.
 */
class CmsMutationTest {
    private static final int ROUNDS = 2500;

    @ParameterizedTest
    @ValueSource(strings = {"c2-1-pvr", "c2-2-rvr", "c2-3-voucher"})
    void mutationsFailCleanlyOrKeepTheContent(String name) {
        CmsVerifier trusting = CmsVerifier.trusting(List.of(CmsTestSupport.certificate(name.equals("c2-2-rvr")
                ? "c1-3-registrar-ca-cert.pem" : "c1-1-manufacturer-ca-cert.pem"))).at(CmsTestSupport.RFC_T);
        byte[] good = resource(name + ".der");
        byte[] json = resource(name + ".json");
        Random random = new Random(name.hashCode());
        int rejected = 0;
        for (int round = 0; round < ROUNDS; round++) {
            byte[] mutated = good.clone();
            int changes = 1 + random.nextInt(3);
            for (int i = 0; i < changes; i++) {
                int at = random.nextInt(mutated.length);
                mutated[at] = (byte) (random.nextBoolean() ? random.nextInt(256) : mutated[at] ^ (1 << random.nextInt(8)));
            }
            CmsVerifier verifier = round % 2 == 0 ? CmsVerifier.signatureOnly() : trusting;
            try {
                assertArrayEquals(json, verifier.verify(mutated).content(), "round " + round);
            } catch (VoucherException expected) {
                rejected++;
                assertNoInternals(expected, round);
            } catch (RuntimeException e) {
                fail("round " + round + ": verifier leaked " + e, e);
            }
            try {
                CmsInspector.inspect(mutated);
            } catch (VoucherException expected) {
                assertNoInternals(expected, round);
            } catch (RuntimeException e) {
                fail("round " + round + ": inspector leaked " + e, e);
            }
        }
        assertTrue(rejected > ROUNDS / 2, "most mutations are rejected: " + rejected);
    }

    /** The message becomes a problem detail: no Java class names of the libraries beneath (RFC 9457 section 5). */
    private static void assertNoInternals(VoucherException e, int round) {
        assertFalse(INTERNALS.matcher(e.getMessage()).find(), "round " + round + ": " + e.getMessage());
    }

    private static final Pattern INTERNALS = Pattern.compile(
            "\\b(?:org\\.bouncycastle|java|javax|sun)\\.[\\w.$]+|\\b\\w*(?:Exception|Error)\\b");
}
