-- Break-glass requests (emergency replacement for an open incident), their approvals and their review.
-- Portable between H2 2.3 and PostgreSQL 15. Ids are BG-<year>-<n> with n from this sequence.
CREATE SEQUENCE break_glass_seq START WITH 1 INCREMENT BY 1;

CREATE TABLE break_glass (
    id                     VARCHAR(32)   NOT NULL PRIMARY KEY,
    incident_id            VARCHAR(32)   NOT NULL,
    endpoint               VARCHAR(128)  NOT NULL,
    severity               VARCHAR(16)   NOT NULL,
    reason                 VARCHAR(4000) NOT NULL,
    state                  VARCHAR(16)   NOT NULL,
    approvals_needed       INTEGER       NOT NULL,
    requested_by           VARCHAR(128)  NOT NULL,
    requested_at           TIMESTAMP WITH TIME ZONE NOT NULL,
    approved_at            TIMESTAMP WITH TIME ZONE,
    review_due_at          TIMESTAMP WITH TIME ZONE,
    reviewed_by            VARCHAR(128),
    reviewed_at            TIMESTAMP WITH TIME ZONE,
    emergency_sha256       VARCHAR(64),
    emergency_not_after    TIMESTAMP WITH TIME ZONE,
    standard_sha256        VARCHAR(64),
    process_instance_id    VARCHAR(64),
    updated_at             TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT fk_break_glass_incident FOREIGN KEY (incident_id) REFERENCES incident (id)
);
CREATE INDEX ix_break_glass_incident ON break_glass (incident_id);
CREATE INDEX ix_break_glass_process ON break_glass (process_instance_id);

-- One row per approver and request: the primary key makes "distinct approvers" hold in the database.
CREATE TABLE break_glass_approval (
    break_glass_id  VARCHAR(32)   NOT NULL,
    approver        VARCHAR(128)  NOT NULL,
    approved        BOOLEAN       NOT NULL,
    comment         VARCHAR(4000) NOT NULL,
    decided_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (break_glass_id, approver),
    CONSTRAINT fk_break_glass_approval FOREIGN KEY (break_glass_id) REFERENCES break_glass (id)
);
