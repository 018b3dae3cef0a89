-- API tokens: only a hash of each secret is kept; the secret is shown once, when created.
CREATE TABLE api_token (
  id           BIGSERIAL PRIMARY KEY,
  name         VARCHAR(253) NOT NULL,
  secret_hash  CHAR(64)     NOT NULL UNIQUE,   -- hex SHA-256 of the whole token
  roles        TEXT         NOT NULL,          -- JSON array: logs:read, metrics:read, cost:read, rules:write, admin
  tenants      TEXT         NOT NULL,          -- JSON array of {"clusters": "<regex>", "namespaces": "<regex>"}
  created_at   BIGINT       NOT NULL,
  revoked_at   BIGINT
);

-- Who did what through the admin API and the rule API.
CREATE TABLE audit_event (
  id        BIGSERIAL PRIMARY KEY,
  at        BIGINT       NOT NULL,
  actor     VARCHAR(253) NOT NULL,
  action    VARCHAR(64)  NOT NULL,
  target    VARCHAR(512) NOT NULL,
  detail    TEXT         NOT NULL
);
