-- The cluster registry and the price sheets that say what each cluster's resources cost.
CREATE TABLE cluster (
  name         VARCHAR(253) PRIMARY KEY,
  environment  VARCHAR(63)  NOT NULL,
  region       VARCHAR(63)  NOT NULL,
  team         VARCHAR(253) NOT NULL,
  labels       VARCHAR(4000) NOT NULL,
  retired_at   TIMESTAMP WITH TIME ZONE
);

CREATE TABLE price_sheet (
  id               BIGSERIAL PRIMARY KEY,
  cluster          VARCHAR(253) NOT NULL,
  node_type        VARCHAR(253) NOT NULL,        -- '' for the cluster's default
  currency         CHAR(3)      NOT NULL,
  cpu_core_hour    NUMERIC(20, 10),
  ram_gib_hour     NUMERIC(20, 10),
  gpu_hour         NUMERIC(20, 10) NOT NULL,
  pv_gib_hour      NUMERIC(20, 10) NOT NULL,
  node_hour        NUMERIC(20, 10),              -- when only the node's price is known
  effective_from   TIMESTAMP WITH TIME ZONE NOT NULL,
  effective_to     TIMESTAMP WITH TIME ZONE,     -- open-ended when null
  retired_at       TIMESTAMP WITH TIME ZONE
);

CREATE INDEX price_sheet_by_cluster ON price_sheet (cluster, node_type, effective_from);
