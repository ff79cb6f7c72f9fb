-- The detection loop looks up the presented leaf by fingerprint on every cycle (is it ours, and from which CA? its
-- renewal window): an index instead of a scan of every certificate ever issued.
CREATE INDEX ix_issued_certificate_sha256 ON issued_certificate (sha256);
