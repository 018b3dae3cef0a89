-- Rule groups as their users wrote them (YAML), and what evaluating each has established.
CREATE TABLE rule_group (
  name         VARCHAR(253) PRIMARY KEY,
  source       TEXT         NOT NULL,
  updated_at   BIGINT       NOT NULL     -- milliseconds since the epoch, as every time in these tables
);

CREATE TABLE rule_group_state (
  group_name   VARCHAR(253) PRIMARY KEY,
  state        TEXT         NOT NULL,    -- JSON: alerts per rule, health per rule
  evaluated_at BIGINT       NOT NULL
);

-- Where notifications go, and which alerts go where.
CREATE TABLE alert_receiver (
  name         VARCHAR(253) PRIMARY KEY,
  kind         VARCHAR(32)  NOT NULL,    -- webhook | alertmanager
  url          VARCHAR(2048) NOT NULL,
  secret       VARCHAR(1024),
  headers      TEXT         NOT NULL,    -- JSON object
  timeout_ms   BIGINT       NOT NULL
);

CREATE TABLE alert_route (
  id                 BIGSERIAL PRIMARY KEY,
  position           INTEGER      NOT NULL,
  receiver           VARCHAR(253) NOT NULL,
  matchers           TEXT         NOT NULL,  -- JSON array of matcher strings
  group_by           TEXT         NOT NULL,  -- JSON array of label names
  group_wait_ms      BIGINT       NOT NULL,
  group_interval_ms  BIGINT       NOT NULL,
  repeat_interval_ms BIGINT       NOT NULL,
  send_resolved      BOOLEAN      NOT NULL,
  continue_matching  BOOLEAN      NOT NULL
);

-- Alertmanager's aggregation groups and notification log in one: what each receiver was last told.
CREATE TABLE notification_group (
  id                 VARCHAR(64)  PRIMARY KEY,
  receiver           VARCHAR(253) NOT NULL,
  group_key          TEXT         NOT NULL,
  group_labels       TEXT         NOT NULL,
  created_at         BIGINT       NOT NULL,
  next_flush_at      BIGINT       NOT NULL,
  notified           BOOLEAN      NOT NULL,
  last_notified_at   BIGINT       NOT NULL,
  sequence           BIGINT       NOT NULL,
  firing_sent        TEXT         NOT NULL,
  resolved_sent      TEXT         NOT NULL
);

-- Notifications decided and stored before they are sent; each (receiver, group, sequence) once.
CREATE TABLE notification_outbox (
  id               BIGSERIAL PRIMARY KEY,
  receiver         VARCHAR(253) NOT NULL,
  group_key        TEXT         NOT NULL,
  group_id         VARCHAR(64)  NOT NULL,
  sequence         BIGINT       NOT NULL,
  payload          TEXT         NOT NULL,
  status           VARCHAR(16)  NOT NULL,  -- pending | delivered | failed
  attempts         INTEGER      NOT NULL,
  created_at       BIGINT       NOT NULL,
  next_attempt_at  BIGINT       NOT NULL,
  finished_at      BIGINT,
  last_status      INTEGER,
  last_error       TEXT,
  CONSTRAINT notification_once UNIQUE (group_id, sequence)
);

CREATE INDEX notification_outbox_due ON notification_outbox (status, next_attempt_at);

-- One rule evaluator at a time across query-api replicas.
CREATE TABLE alerting_lease (
  name        VARCHAR(64)  PRIMARY KEY,
  holder      VARCHAR(253) NOT NULL,
  expires_at  BIGINT       NOT NULL
);
