package io.fleetlens.alerting.evaluation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prometheus' alert lifecycle, for one rule and one evaluation at {@code t}: an alert the
 * expression returns for the first time is pending (active since {@code t}); one that has been
 * active for {@code for} fires; a pending alert the expression no longer returns is dropped; a
 * firing one is held by {@code keep_firing_for}, then resolved ({@code inactive}) and kept for
 * {@code resolvedRetentionMs} so its resolution can be sent. An alert that returns after being
 * resolved starts over as pending.
 */
public final class AlertTransitions {

  /** An alert the expression returned at {@code t}, with its labels and annotations already expanded. */
  public record Returned(Map<String, String> labels, Map<String, String> annotations, double value) {
  }

  private AlertTransitions() {
  }

  public static List<ActiveAlert> next(List<ActiveAlert> previous, List<Returned> returned, long t, long forMs,
      long keepFiringForMs, long resolvedRetentionMs) {
    Map<Map<String, String>, ActiveAlert> active = new LinkedHashMap<>();
    previous.forEach(a -> active.put(a.labels(), a));
    Map<Map<String, String>, Returned> now = new LinkedHashMap<>();
    for (Returned r : returned) {
      ActiveAlert fresh = new ActiveAlert(r.labels(), r.annotations(), AlertState.PENDING, r.value(), t, 0, 0, 0);
      now.put(fresh.labels(), r);
      ActiveAlert old = active.get(fresh.labels());
      if (old != null && old.state() != AlertState.INACTIVE) {
        active.put(old.labels(), old.with(old.state(), r.value(), fresh.annotations(), old.firedAtMs(),
            old.resolvedAtMs(), old.keepFiringSinceMs()));
      } else {
        active.put(fresh.labels(), fresh);
      }
    }
    List<ActiveAlert> out = new ArrayList<>();
    for (ActiveAlert a : active.values()) {
      if (!now.containsKey(a.labels())) {
        ActiveAlert gone = vanished(a, t, keepFiringForMs, resolvedRetentionMs);
        if (gone != null) {
          out.add(gone);
        }
        continue;
      }
      ActiveAlert current = a.keepFiringSinceMs() == 0 ? a
          : a.with(a.state(), a.value(), a.annotations(), a.firedAtMs(), a.resolvedAtMs(), 0);
      if (current.state() == AlertState.PENDING && t - current.activeAtMs() >= forMs) {
        current = current.with(AlertState.FIRING, current.value(), current.annotations(), t, 0, 0);
      }
      out.add(current);
    }
    return out;
  }

  /** What becomes of an alert the expression did not return; null when it is forgotten. */
  private static ActiveAlert vanished(ActiveAlert a, long t, long keepFiringForMs, long resolvedRetentionMs) {
    switch (a.state()) {
      case PENDING -> {
        return null;
      }
      case INACTIVE -> {
        return t - a.resolvedAtMs() > resolvedRetentionMs ? null : a;
      }
      default -> {
        long since = a.keepFiringSinceMs() == 0 ? t : a.keepFiringSinceMs();
        if (keepFiringForMs > 0 && t - since < keepFiringForMs) {
          return a.with(AlertState.FIRING, a.value(), a.annotations(), a.firedAtMs(), 0, since);
        }
        return a.with(AlertState.INACTIVE, a.value(), a.annotations(), a.firedAtMs(), t, 0);
      }
    }
  }
}
