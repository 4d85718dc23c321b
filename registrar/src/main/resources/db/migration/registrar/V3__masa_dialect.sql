-- The dialect each manufacturer's MASA speaks: 'rfc8995' (binary DER bodies, RFC 8995 section 6) or 'nqminds'
-- (base64 bodies both ways, vouchers possibly without created-on). Existing manufacturers keep RFC 8995.
ALTER TABLE registrar_manufacturer ADD COLUMN masa_dialect VARCHAR(16) DEFAULT 'rfc8995' NOT NULL;
