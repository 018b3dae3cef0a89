-- A token may also be presented as a client certificate (mutual TLS): the certificate's subject,
-- as RFC 2253 writes it (CN=grafana,O=team-a), names the token whose roles and tenants apply.
ALTER TABLE api_token ADD COLUMN certificate_subject VARCHAR(1024);
