package io.fleetlens.alerting.notify;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fleetlens.alerting.evaluation.ActiveAlert;
import io.fleetlens.alerting.evaluation.AlertState;

/**
 * The bodies receivers get, in the formats they already understand: Alertmanager's webhook payload
 * (version 4) for webhooks, and Alertmanager's {@code /api/v2/alerts} list for an Alertmanager.
 * External labels are added to every alert's labels, as Prometheus adds them.
 */
public final class Payloads {

  /** Go's zero time, which Alertmanager sends as the end of an alert that has not ended. */
  static final String GO_ZERO_TIME = "0001-01-01T00:00:00Z";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String externalUrl;
  private final Map<String, String> externalLabels;

  public Payloads(String externalUrl, Map<String, String> externalLabels) {
    this.externalUrl = externalUrl;
    this.externalLabels = Map.copyOf(externalLabels);
  }

  /** Prometheus' link to an expression: {@code <external URL>/graph?g0.expr=...&g0.tab=1}. */
  public String generatorUrl(String expr) {
    String q = URLEncoder.encode(expr, StandardCharsets.UTF_8).replace("*", "%2A").replace("%7E", "~");
    return externalUrl + "/graph?g0.expr=" + q + "&g0.tab=1";
  }

  String webhook(String receiver, String groupKey, Map<String, String> groupLabels, List<Notifiable> alerts) {
    List<Map<String, Object>> items = new ArrayList<>();
    List<Map<String, String>> labels = new ArrayList<>();
    List<Map<String, String>> annotations = new ArrayList<>();
    boolean firing = false;
    for (Notifiable n : alerts) {
      ActiveAlert a = n.alert();
      Map<String, String> l = labelsOf(a);
      boolean isFiring = a.state() == AlertState.FIRING;
      firing |= isFiring;
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("status", isFiring ? "firing" : "resolved");
      item.put("labels", l);
      item.put("annotations", a.annotations());
      item.put("startsAt", time(a.firedAtMs()));
      item.put("endsAt", isFiring ? GO_ZERO_TIME : time(a.resolvedAtMs()));
      item.put("generatorURL", n.generatorUrl());
      item.put("fingerprint", io.fleetlens.alerting.evaluation.Fingerprint.of(l));
      items.add(item);
      labels.add(l);
      annotations.add(a.annotations());
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("receiver", receiver);
    body.put("status", firing ? "firing" : "resolved");
    body.put("alerts", items);
    body.put("groupLabels", new TreeMap<>(groupLabels));
    body.put("commonLabels", common(labels));
    body.put("commonAnnotations", common(annotations));
    body.put("externalURL", externalUrl);
    body.put("version", "4");
    body.put("groupKey", groupKey);
    body.put("truncatedAlerts", 0);
    return write(body);
  }

  String alertmanager(List<Notifiable> alerts, long now) {
    List<Map<String, Object>> items = new ArrayList<>();
    for (Notifiable n : alerts) {
      ActiveAlert a = n.alert();
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("labels", labelsOf(a));
      item.put("annotations", a.annotations());
      item.put("startsAt", time(a.firedAtMs()));
      item.put("endsAt", time(a.state() == AlertState.FIRING ? now + 4 * Dispatcher.ALERTMANAGER_RESEND_MS
          : a.resolvedAtMs()));
      item.put("generatorURL", n.generatorUrl());
      items.add(item);
    }
    return write(items);
  }

  private Map<String, String> labelsOf(ActiveAlert a) {
    Map<String, String> l = new TreeMap<>(externalLabels);
    l.putAll(a.labels());
    return l;
  }

  private static Map<String, String> common(List<Map<String, String>> sets) {
    Map<String, String> out = new TreeMap<>(sets.isEmpty() ? Map.of() : sets.getFirst());
    for (Map<String, String> s : sets) {
      out.entrySet().removeIf(e -> !e.getValue().equals(s.get(e.getKey())));
    }
    return out;
  }

  private static String time(long ms) {
    return Instant.ofEpochMilli(ms).toString();
  }

  private static String write(Object body) {
    try {
      return JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
