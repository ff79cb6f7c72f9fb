-- ShedLock's table: a named lock that nodes sharing this database take in turn. The detection loop holds
-- "detection-cycle" while it probes the inventory, so with several nodes one cycle runs at a time and every
-- endpoint is probed once per interval (docs/operations.md).
CREATE TABLE shedlock (
    name       VARCHAR(64)  NOT NULL,
    lock_until TIMESTAMP    NOT NULL,
    locked_at  TIMESTAMP    NOT NULL,
    locked_by  VARCHAR(255) NOT NULL,
    CONSTRAINT pk_shedlock PRIMARY KEY (name)
);
