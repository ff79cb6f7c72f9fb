-- ACME Renewal Information (RFC 9773) of the certificates CertLoop issued through ACME: the window the CA
-- suggests, the point CertLoop chose inside it, and when to ask the CA again. One row per certificate; a
-- failed question keeps the last window known and names the failure. Portable between H2 2.3 and PostgreSQL 15.
CREATE TABLE acme_renewal_info (
    certificate_id  VARCHAR(64)   NOT NULL PRIMARY KEY,
    endpoint_name   VARCHAR(255)  NOT NULL,
    sha256          VARCHAR(64)   NOT NULL,
    -- WINDOW: the CA gave one; NOT_OFFERED: its directory has no renewalInfo; UNKNOWN: never answered yet
    state           VARCHAR(16)   NOT NULL,
    window_start    TIMESTAMP WITH TIME ZONE,
    window_end      TIMESTAMP WITH TIME ZONE,
    renew_at        TIMESTAMP WITH TIME ZONE,
    explanation_url VARCHAR(1000),
    fetched_at      TIMESTAMP WITH TIME ZONE,
    checked_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    next_check_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    -- the fixed reason of the last failed question (null when it succeeded), and how many failed in a row
    failure         VARCHAR(32),
    failures        INT           NOT NULL DEFAULT 0
);

CREATE INDEX ix_acme_renewal_info_sha256 ON acme_renewal_info (sha256);
CREATE INDEX ix_acme_renewal_info_endpoint ON acme_renewal_info (endpoint_name);
