package io.fleetlens.alerting.evaluation;

import java.util.Map;
import java.util.TreeMap;

/**
 * One alert of one rule: its labels (the series' labels, the rule's and group's labels and
 * {@code alertname}), its annotations, its state and when it changed, in milliseconds since the
 * epoch (0 for never). {@code keepFiringSinceMs} is when the expression stopped returning an alert
 * held firing by {@code keep_firing_for}.
 */
public record ActiveAlert(
    Map<String, String> labels,
    Map<String, String> annotations,
    AlertState state,
    double value,
    long activeAtMs,
    long firedAtMs,
    long resolvedAtMs,
    long keepFiringSinceMs) {

  public ActiveAlert {
    labels = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(labels));
    annotations = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(annotations));
  }

  /** Alertmanager's fingerprint of the labels, as 16 hex digits. */
  public String fingerprint() {
    return Fingerprint.of(labels);
  }

  ActiveAlert with(AlertState newState, double newValue, Map<String, String> newAnnotations, long firedAt,
      long resolvedAt, long keepFiringSince) {
    return new ActiveAlert(labels, newAnnotations, newState, newValue, activeAtMs, firedAt, resolvedAt,
        keepFiringSince);
  }
}
