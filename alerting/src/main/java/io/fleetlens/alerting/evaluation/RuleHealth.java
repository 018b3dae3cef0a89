package io.fleetlens.alerting.evaluation;

/**
 * How a rule's last evaluation went, as Prometheus' {@code /api/v1/rules} shows it: {@code health}
 * is {@code ok}, {@code err} or {@code unknown} (never evaluated).
 */
public record RuleHealth(String health, String lastError, long lastEvaluationMs, double evaluationSeconds) {

  public static final RuleHealth UNKNOWN = new RuleHealth("unknown", "", 0, 0);

  static RuleHealth ok(long at, double seconds) {
    return new RuleHealth("ok", "", at, seconds);
  }

  static RuleHealth error(long at, double seconds, String error) {
    return new RuleHealth("err", error, at, seconds);
  }
}
