package io.fleetlens.alerting.notify;

import java.util.Map;

import io.fleetlens.core.access.Scope;

/**
 * Where notifications go. A {@code webhook} receiver gets Alertmanager's webhook payload (version
 * 4) by POST at {@code url}, signed with HMAC-SHA256 when it has a {@code secret}; an
 * {@code alertmanager} receiver is a real Alertmanager, given the alerts through its
 * {@code /api/v2/alerts} as Prometheus gives them. It belongs to its {@code owner}: the tenants of
 * the token that made it.
 */
public record Receiver(String name, Kind kind, String url, String secret, Map<String, String> headers, long timeoutMs,
    Scope owner) {

  public enum Kind {
    WEBHOOK, ALERTMANAGER;

    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public Receiver {
    headers = Map.copyOf(headers);
  }
}
