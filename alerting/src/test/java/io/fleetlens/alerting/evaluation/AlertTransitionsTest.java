package io.fleetlens.alerting.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Prometheus' alert lifecycle, step by step, with a 1-minute evaluation interval. */
class AlertTransitionsTest {

  private static final long MIN = 60_000;
  private static final long RETENTION = 15 * MIN;
  private static final Map<String, String> LABELS = Map.of("alertname", "HighLatency", "job", "api");

  private static List<AlertTransitions.Returned> returned(double value) {
    return List.of(new AlertTransitions.Returned(LABELS, Map.of("summary", "v=" + value), value));
  }

  private static List<ActiveAlert> step(List<ActiveAlert> before, boolean present, long t, long forMs, long keep) {
    return AlertTransitions.next(before, present ? returned(t) : List.of(), t, forMs, keep, RETENTION);
  }

  @Test
  void pendingUntilForHasPassedThenFiring() {
    List<ActiveAlert> s = step(List.of(), true, 0, 3 * MIN, 0);
    assertThat(s.getFirst().state()).isEqualTo(AlertState.PENDING);
    assertThat(s.getFirst().activeAtMs()).isZero();
    s = step(s, true, MIN, 3 * MIN, 0);
    s = step(s, true, 2 * MIN, 3 * MIN, 0);
    assertThat(s.getFirst().state()).isEqualTo(AlertState.PENDING);
    s = step(s, true, 3 * MIN, 3 * MIN, 0);
    assertThat(s.getFirst().state()).isEqualTo(AlertState.FIRING);
    assertThat(s.getFirst().firedAtMs()).isEqualTo(3 * MIN);
    assertThat(s.getFirst().activeAtMs()).as("active since the first time").isZero();
    assertThat(s.getFirst().annotations()).as("annotations follow the latest value").containsEntry("summary",
        "v=" + (double) (3 * MIN));
  }

  @Test
  void withoutForAnAlertFiresAtOnce() {
    assertThat(step(List.of(), true, 0, 0, 0).getFirst().state()).isEqualTo(AlertState.FIRING);
  }

  @Test
  void aPendingAlertThatGoesAwayIsForgottenAndStartsOverWhenBack() {
    List<ActiveAlert> s = step(List.of(), true, 0, 2 * MIN, 0);
    s = step(s, false, MIN, 2 * MIN, 0);
    assertThat(s).isEmpty();
    s = step(s, true, 2 * MIN, 2 * MIN, 0);
    assertThat(s.getFirst().state()).isEqualTo(AlertState.PENDING);
    assertThat(s.getFirst().activeAtMs()).isEqualTo(2 * MIN);
  }

  @Test
  void keepFiringForHoldsAFiringAlertThenResolvesIt() {
    List<ActiveAlert> s = step(List.of(), true, 0, 0, 2 * MIN);
    s = step(s, false, MIN, 0, 2 * MIN);
    assertThat(s.getFirst().state()).isEqualTo(AlertState.FIRING);
    assertThat(s.getFirst().keepFiringSinceMs()).isEqualTo(MIN);
    s = step(s, false, 2 * MIN, 0, 2 * MIN);
    assertThat(s.getFirst().state()).isEqualTo(AlertState.FIRING);
    s = step(s, false, 3 * MIN, 0, 2 * MIN);
    assertThat(s.getFirst().state()).isEqualTo(AlertState.INACTIVE);
    assertThat(s.getFirst().resolvedAtMs()).isEqualTo(3 * MIN);
  }

  @Test
  void keepFiringForRestartsWhenTheAlertComesBack() {
    List<ActiveAlert> s = step(List.of(), true, 0, 0, 2 * MIN);
    s = step(s, false, MIN, 0, 2 * MIN);
    s = step(s, true, 2 * MIN, 0, 2 * MIN);
    assertThat(s.getFirst().keepFiringSinceMs()).isZero();
    s = step(s, false, 3 * MIN, 0, 2 * MIN);
    s = step(s, false, 4 * MIN, 0, 2 * MIN);
    assertThat(s.getFirst().state()).isEqualTo(AlertState.FIRING);
    assertThat(s.getFirst().firedAtMs()).as("still the same firing").isZero();
  }

  @Test
  void aFlappingSeriesNeverFiresWhileForIsLongerThanItsRuns() {
    List<ActiveAlert> s = List.of();
    for (int i = 0; i < 20; i++) {
      s = step(s, i % 2 == 0, i * MIN, 2 * MIN, 0);
      assertThat(s).noneMatch(a -> a.state() == AlertState.FIRING);
    }
  }

  @Test
  void aResolvedAlertIsKeptForItsRetentionThenDropped() {
    List<ActiveAlert> s = step(List.of(), true, 0, 0, 0);
    s = step(s, false, MIN, 0, 0);
    assertThat(s.getFirst().state()).isEqualTo(AlertState.INACTIVE);
    s = step(s, false, MIN + RETENTION, 0, 0);
    assertThat(s).hasSize(1);
    s = step(s, false, 2 * MIN + RETENTION, 0, 0);
    assertThat(s).isEmpty();
  }

  @Test
  void aResolvedAlertThatReturnsIsANewPendingAlert() {
    List<ActiveAlert> s = step(List.of(), true, 0, MIN, 0);
    s = step(s, true, MIN, MIN, 0);
    s = step(s, false, 2 * MIN, MIN, 0);
    s = step(s, true, 3 * MIN, MIN, 0);
    assertThat(s.getFirst().state()).isEqualTo(AlertState.PENDING);
    assertThat(s.getFirst().activeAtMs()).isEqualTo(3 * MIN);
    assertThat(s.getFirst().resolvedAtMs()).isZero();
  }

  @Test
  void fingerprintIsAlertmanagers() {
    // Alertmanager's fingerprint of {} is FNV-1a's offset basis; of {a="b"} the hash of a,0xff,b,0xff.
    assertThat(Fingerprint.of(Map.of())).isEqualTo("cbf29ce484222325");
    assertThat(Fingerprint.of(Map.of("a", "b"))).hasSize(16).isNotEqualTo(Fingerprint.of(Map.of("a", "c")));
    assertThat(Fingerprint.of(Map.of("a", "b", "c", "d"))).isEqualTo(Fingerprint.of(new java.util.TreeMap<>(
        Map.of("c", "d", "a", "b"))));
  }
}
