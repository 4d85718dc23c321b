-- The key behind each audit event's domainID (RFC 8995 section 5.8.2): base64 of SHA-1 over the pinned certificate's
-- subjectPublicKey. domainID is the certificate's subjectKeyIdentifier, which any issuer can copy; who may read a
-- device's log is decided by this key-derived value. NULL for events logged before this column existed.
ALTER TABLE masa_audit_event ADD COLUMN domain_key_id VARCHAR(64);
