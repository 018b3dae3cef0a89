-- Who owns each rule group, receiver and route: the tenants (JSON, as io.fleetlens.core.access.Scope)
-- of the token that created it. Rows from before access control belong to everyone's admin.
ALTER TABLE rule_group ADD COLUMN owner TEXT NOT NULL DEFAULT '{"parts":[{"clusters":".*","namespaces":".*"}]}';
ALTER TABLE alert_receiver ADD COLUMN owner TEXT NOT NULL DEFAULT '{"parts":[{"clusters":".*","namespaces":".*"}]}';
ALTER TABLE alert_route ADD COLUMN owner TEXT NOT NULL DEFAULT '{"parts":[{"clusters":".*","namespaces":".*"}]}';
