-- The agents the server has heard from: one row per agent group and worker (host), updated at every poll.
-- Only what an agent says about itself in a poll: no key, no task data.
CREATE TABLE agent_poll (
    group_name    VARCHAR(63)   NOT NULL,
    worker_id     VARCHAR(255)  NOT NULL,
    agent_version VARCHAR(64)   NOT NULL,
    user_id       VARCHAR(255)  NOT NULL,
    first_poll_at TIMESTAMP     NOT NULL,
    last_poll_at  TIMESTAMP     NOT NULL,
    PRIMARY KEY (group_name, worker_id)
);
