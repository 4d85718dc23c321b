package org.brski.bench;

import java.security.cert.CertificateEncodingException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.brski.pki.KeyType;
import org.brski.pki.TestPki;
import org.brski.voucher.Assertion;
import org.brski.voucher.Verified;
import org.brski.voucher.Voucher;
import org.brski.voucher.VoucherCms;
import org.brski.voucher.VoucherException;
import org.brski.voucher.VoucherJson;
import org.brski.voucher.cms.CmsSigner;
import org.brski.voucher.cms.CmsVerifier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a MASA pays per voucher (sign) and a pledge or registrar per voucher received (verify with and without path
 * validation), per key type. Run: {@code java -jar benchmarks/target/benchmarks.jar VoucherCms}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class VoucherCmsBenchmark {
    @Param({"ec-p256", "ec-p384", "rsa2048"})
    public String keyType;

    private CmsSigner signer;
    private Voucher voucher;
    private byte[] signed;
    private CmsVerifier signatureOnly;
    private CmsVerifier trusting;
    private final VoucherJson json = VoucherJson.strict();

    @Setup
    public void setUp() throws CertificateEncodingException {
        TestPki pki = TestPki.builder().keyType(KeyType.parse(keyType)).pledges(1).build();
        signer = CmsSigner.of(pki.masaSigner().privateKey(), pki.masaSigner().certificate(), List.of());
        voucher = Voucher.builder()
                .createdOn(OffsetDateTime.now(ZoneOffset.UTC))
                .assertion(Assertion.LOGGED)
                .serialNumber(pki.serials().get(0))
                .nonce("-_XE9zK9q8Ll1qylMtLKeg")
                .pinnedDomainCert(pki.domainCa().certificate().getEncoded())
                .build();
        signed = VoucherCms.sign(signer, voucher);
        signatureOnly = CmsVerifier.signatureOnly();
        trusting = CmsVerifier.trusting(List.of(pki.manufacturerCa().certificate()));
    }

    @Benchmark
    public byte[] sign() {
        return VoucherCms.sign(signer, voucher);
    }

    @Benchmark
    public Verified<Voucher> verifySignatureOnly() throws VoucherException {
        return VoucherCms.verifyVoucher(signatureOnly, json, signed);
    }

    @Benchmark
    public Verified<Voucher> verifyWithPath() throws VoucherException {
        return VoucherCms.verifyVoucher(trusting, json, signed);
    }
}
