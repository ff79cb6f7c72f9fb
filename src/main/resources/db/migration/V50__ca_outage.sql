-- Issuers (replacement paths: acme, internal-ca, ...) as CertLoop saw them answer, and their outages.
-- One row per issuer, created at start; runbooks lock it while they count a failure or link to an outage,
-- so two nodes never open two outages for one issuer nor miss a recovery.
CREATE TABLE issuer_health (
    issuer                VARCHAR(64)   NOT NULL PRIMARY KEY,
    consecutive_failures  INTEGER       NOT NULL,
    last_failure          VARCHAR(2000),
    last_failure_at       TIMESTAMP WITH TIME ZONE,
    last_success_at       TIMESTAMP WITH TIME ZONE,
    -- the ca-outage incident open for this issuer; NULL when it answers
    outage_incident_id    VARCHAR(32)
);

-- The ca-outage incidents CertLoop opened for an issuer, and the decision to use a configured fallback issuer.
CREATE TABLE ca_outage (
    incident_id            VARCHAR(32)  NOT NULL PRIMARY KEY,
    issuer                 VARCHAR(64)  NOT NULL,
    opened_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    recovered_at           TIMESTAMP WITH TIME ZONE,
    fallback_requested_by  VARCHAR(128),
    fallback_approved_by   VARCHAR(128),
    fallback_approved_at   TIMESTAMP WITH TIME ZONE,
    CONSTRAINT fk_ca_outage_incident FOREIGN KEY (incident_id) REFERENCES incident (id)
);
CREATE INDEX ix_ca_outage_issuer ON ca_outage (issuer);

-- Runbooks waiting on an issuer's outage: which incident waits on which outage, and when it was resumed.
CREATE TABLE ca_outage_waiter (
    outage_incident_id   VARCHAR(32)  NOT NULL,
    waiting_incident_id  VARCHAR(32)  NOT NULL,
    endpoint             VARCHAR(128) NOT NULL,
    linked_at            TIMESTAMP WITH TIME ZONE NOT NULL,
    resumed_at           TIMESTAMP WITH TIME ZONE,
    CONSTRAINT pk_ca_outage_waiter PRIMARY KEY (outage_incident_id, waiting_incident_id),
    CONSTRAINT fk_ca_outage_waiter_outage FOREIGN KEY (outage_incident_id) REFERENCES ca_outage (incident_id),
    CONSTRAINT fk_ca_outage_waiter_incident FOREIGN KEY (waiting_incident_id) REFERENCES incident (id)
);
CREATE INDEX ix_ca_outage_waiter_waiting ON ca_outage_waiter (waiting_incident_id);
