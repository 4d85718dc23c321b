package org.brski.registrar.admin;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.brski.registrar.RegistrarException;
import org.brski.registrar.policy.Approval;
import org.brski.registrar.policy.Manufacturer;
import org.brski.registrar.store.AuditResult;
import org.brski.registrar.store.Device;
import org.brski.registrar.store.RegistrarStore;
import org.brski.registrar.voucher.VoucherService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What an operator can do. Every change is logged. Thread-safe. */
public final class AdminService {
    private static final Logger LOG = LoggerFactory.getLogger(AdminService.class);
    /** Most devices listed at once. */
    public static final int MAX_LIST = 10_000;

    private final RegistrarStore store;
    private final Optional<VoucherService> vouchers;

    /** @param vouchers the voucher service for on-demand audits (absent: audits are refused) */
    public AdminService(RegistrarStore store, Optional<VoucherService> vouchers) {
        this.store = Objects.requireNonNull(store, "store");
        this.vouchers = Objects.requireNonNull(vouchers, "vouchers");
    }

    public List<Manufacturer> manufacturers() throws RegistrarException {
        return store.manufacturers();
    }

    /** The manufacturer; 404 when unknown. */
    public Manufacturer manufacturer(String name) throws RegistrarException {
        return store.manufacturer(name).orElseThrow(() -> RegistrarException.notFound("unknown-manufacturer",
                "no manufacturer named '" + clip(name) + "'"));
    }

    /** Adds or replaces a manufacturer (trusted or not, as given). */
    public void putManufacturer(Manufacturer manufacturer) throws RegistrarException {
        store.putManufacturer(manufacturer);
        LOG.info("manufacturer '{}' stored: trusted={}, mode={}, masaDialect={}", manufacturer.name(),
                manufacturer.trusted(), manufacturer.mode().cliName(),
                Manufacturer.masaDialectName(manufacturer.masaDialect()));
    }

    /** Trusts or distrusts a known manufacturer; 404 when unknown. */
    public void setTrusted(String name, boolean trusted) throws RegistrarException {
        if (!store.setManufacturerTrusted(name, trusted)) {
            throw RegistrarException.notFound("unknown-manufacturer", "no manufacturer named '" + clip(name) + "'");
        }
        LOG.info("manufacturer '{}' {}", name, trusted ? "trusted" : "distrusted");
    }

    public List<Device> devices() throws RegistrarException {
        return store.devices(MAX_LIST);
    }

    /** The device; 404 when unknown. */
    public Device device(String serial) throws RegistrarException {
        return store.device(serial).orElseThrow(() -> RegistrarException.notFound("unknown-device",
                "no device with serial-number '" + clip(serial) + "'"));
    }

    /** Approves a device (before or after it is first seen). */
    public void approve(String serial) throws RegistrarException {
        checkSerial(serial);
        store.setApproval(serial, Approval.APPROVED);
        LOG.info("device '{}' approved", serial);
    }

    /** Denies a device: its voucher and EST requests are refused with 403. */
    public void deny(String serial) throws RegistrarException {
        checkSerial(serial);
        store.setApproval(serial, Approval.DENIED);
        LOG.info("device '{}' denied", serial);
    }

    /** Requests and judges the device's MASA audit-log now (RFC 8995 5.8). */
    public AuditResult audit(String serial) throws RegistrarException {
        VoucherService service = vouchers.orElseThrow(() -> RegistrarException.of(503, "audit-unavailable",
                "Service unavailable", "audits need the registrar's MASA client"));
        return service.audit(serial);
    }

    private static void checkSerial(String serial) throws RegistrarException {
        if (serial == null || serial.isEmpty() || serial.length() > VoucherService.MAX_SERIAL
                || !serial.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            throw RegistrarException.badRequest("bad-serial-number", "serial-number must be 1-"
                    + VoucherService.MAX_SERIAL + " printable ASCII characters");
        }
    }

    private static String clip(String value) {
        String clean = String.valueOf(value).replaceAll("[^\\x20-\\x7E]", "?");
        return clean.length() > 64 ? clean.substring(0, 64) + "..." : clean;
    }
}
