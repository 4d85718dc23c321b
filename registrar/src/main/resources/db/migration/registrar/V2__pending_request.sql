-- SHA-256 (hex) of the pledge voucher-request answered 202, so that its retry (RFC 8995 5.6: the same request,
-- possibly hours later) is recognised and not refused as stale.
ALTER TABLE registrar_device ADD COLUMN pending_pvr CHAR(64);
