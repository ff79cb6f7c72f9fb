-- Tamper evidence: every timeline entry carries the SHA-256 of its content and of the entry before it
-- (per incident); each chain's head (last hash and length) is authenticated with an HMAC-SHA256 key
-- sealed in custody, so rewriting rows and recomputing the plain hashes is caught too.
ALTER TABLE incident_timeline ADD COLUMN prev_hash VARCHAR(64);
ALTER TABLE incident_timeline ADD COLUMN entry_hash VARCHAR(64);

-- One row per chain (chain = 'incident', 'exception', ...; chain_id = the incident or exception id).
-- Appends lock this row, so two appends to one chain never fork it.
CREATE TABLE audit_chain_head (
    chain       VARCHAR(32)  NOT NULL,
    chain_id    VARCHAR(64)  NOT NULL,
    entries     BIGINT       NOT NULL,
    head_hash   VARCHAR(64)  NOT NULL,
    mac         VARCHAR(64)  NOT NULL,
    key_id      VARCHAR(64)  NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_audit_chain_head PRIMARY KEY (chain, chain_id)
);
