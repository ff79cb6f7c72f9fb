-- CA certificates of the internal CA (their keys live in custody_key).
CREATE TABLE ca_certificate (
    role            VARCHAR(16)   NOT NULL PRIMARY KEY,
    key_id          VARCHAR(64)   NOT NULL,
    certificate_pem VARCHAR(16000) NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Every certificate CertLoop obtained, whatever the issuer; the idempotency key makes a retried
-- issuance return the stored certificate instead of minting a second one.
CREATE TABLE issued_certificate (
    id                VARCHAR(64)    NOT NULL PRIMARY KEY,
    issuer            VARCHAR(32)    NOT NULL,
    idempotency_key   VARCHAR(200)   NOT NULL,
    endpoint_name     VARCHAR(255)   NOT NULL,
    profile           VARCHAR(64),
    serial            VARCHAR(64)    NOT NULL,
    sha256            VARCHAR(64)    NOT NULL,
    not_before        TIMESTAMP WITH TIME ZONE NOT NULL,
    not_after         TIMESTAMP WITH TIME ZONE NOT NULL,
    key_id            VARCHAR(64)    NOT NULL,
    leaf_pem          VARCHAR(16000) NOT NULL,
    chain_pem         VARCHAR(64000) NOT NULL,
    issued_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_at        TIMESTAMP WITH TIME ZONE,
    revocation_reason VARCHAR(32),
    CONSTRAINT uq_issued_idempotency UNIQUE (issuer, idempotency_key),
    CONSTRAINT uq_issued_serial UNIQUE (issuer, serial)
);

-- Issuance that does not complete at once (ACME order, administrator-mediated request).
CREATE TABLE issuance_request (
    id              VARCHAR(64)    NOT NULL PRIMARY KEY,
    issuer          VARCHAR(32)    NOT NULL,
    idempotency_key VARCHAR(200)   NOT NULL,
    endpoint_name   VARCHAR(255)   NOT NULL,
    names           VARCHAR(4000)  NOT NULL,
    profile         VARCHAR(64),
    key_id          VARCHAR(64)    NOT NULL,
    state           VARCHAR(32)    NOT NULL,
    order_url       VARCHAR(1000),
    csr_pem         VARCHAR(16000),
    failure         VARCHAR(2000),
    certificate_id  VARCHAR(64),
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT uq_request_idempotency UNIQUE (issuer, idempotency_key)
);

-- ACME: one account per directory; its key lives in custody_key.
CREATE TABLE acme_account (
    directory_url VARCHAR(500)  NOT NULL PRIMARY KEY,
    key_id        VARCHAR(64)   NOT NULL,
    account_url   VARCHAR(1000) NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL
);

-- HTTP-01 answers, shared by all nodes behind the same name.
CREATE TABLE acme_challenge (
    token             VARCHAR(255) NOT NULL PRIMARY KEY,
    key_authorization VARCHAR(500) NOT NULL,
    request_id        VARCHAR(64)  NOT NULL,
    created_at        TIMESTAMP WITH TIME ZONE NOT NULL
);
