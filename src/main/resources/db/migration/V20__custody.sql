-- Key custody: private keys sealed with AES-256-GCM under the master key.
-- Only ciphertext is stored; the key id is the GCM associated data, so a row cannot be moved to
-- another id. master_key_id identifies (not reveals) the master key that sealed the row.
CREATE TABLE custody_key (
    id                 VARCHAR(64)   NOT NULL PRIMARY KEY,
    algorithm          VARCHAR(16)   NOT NULL,
    purpose            VARCHAR(64)   NOT NULL,
    public_key         VARCHAR(2048) NOT NULL,
    sealed_private_key VARCHAR(8192) NOT NULL,
    nonce              VARCHAR(32)   NOT NULL,
    master_key_id      VARCHAR(64)   NOT NULL,
    created_at         TIMESTAMP WITH TIME ZONE NOT NULL
);
