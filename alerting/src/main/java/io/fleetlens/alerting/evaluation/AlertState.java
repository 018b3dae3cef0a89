package io.fleetlens.alerting.evaluation;

/** Prometheus' alert states; {@code inactive} alerts are the resolved ones, kept a while for notification. */
public enum AlertState {
  PENDING, FIRING, INACTIVE;

  /** The state as Prometheus' API and the {@code alertstate} label spell it. */
  public String wire() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
