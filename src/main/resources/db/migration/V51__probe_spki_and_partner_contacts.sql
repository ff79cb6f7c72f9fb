-- The SubjectPublicKeyInfo SHA-256 of the leaf a probe saw, beside its certificate SHA-256: a revocation's
-- verifier population is every endpoint whose latest probe presents the revoked certificate or the same key
-- (under another certificate). Rows recorded before this column have none; the next probe fills it.
ALTER TABLE probe_result ADD COLUMN leaf_spki_sha256 VARCHAR(64);
CREATE INDEX ix_probe_result_leaf_sha256 ON probe_result (leaf_sha256);
CREATE INDEX ix_probe_result_leaf_spki_sha256 ON probe_result (leaf_spki_sha256);

-- Partner contacts of an endpoint: e-mail addresses outside the owning teams (a partner whose systems trust the
-- certificate) told about a replacement plan an incident commander approves. A JSON list, validated on input.
ALTER TABLE inventory_endpoint ADD COLUMN partner_contacts VARCHAR(4000) NOT NULL DEFAULT '[]';
