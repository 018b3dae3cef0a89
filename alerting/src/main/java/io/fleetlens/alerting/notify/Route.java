package io.fleetlens.alerting.notify;

import java.util.List;
import java.util.Map;

import io.fleetlens.core.access.Scope;
import io.fleetlens.core.metrics.LabelMatcher;
import io.fleetlens.core.metrics.Labels;

/**
 * Which alerts go to a receiver, and how they are grouped and paced, as Alertmanager's routes:
 * alerts matching every matcher are grouped by the {@code groupBy} labels ({@code ...} groups by
 * all labels); a new group waits {@code groupWait} before its first notification, later changes go
 * out at most every {@code groupInterval}, and an unchanged group is re-sent every
 * {@code repeatInterval}. Routes are tried in {@code position} order; the first that matches takes
 * the alert unless it says {@code continueMatching}. A route takes only alerts of rule groups its
 * {@code owner} could see ({@link Scope#covers}), so a team cannot route another team's alerts to itself.
 */
public record Route(
    Long id,
    int position,
    String receiver,
    List<String> matchers,
    List<String> groupBy,
    long groupWaitMs,
    long groupIntervalMs,
    long repeatIntervalMs,
    boolean sendResolved,
    boolean continueMatching,
    Scope owner) {

  public Route {
    matchers = List.copyOf(matchers);
    groupBy = List.copyOf(groupBy);
  }

  public boolean matches(Map<String, String> labels, List<LabelMatcher> parsed) {
    Labels l = Labels.of(labels);
    return parsed.stream().allMatch(m -> m.matches(l));
  }

  public boolean groupsByAll() {
    return groupBy.contains("...");
  }

  public Route withId(Long newId) {
    return new Route(newId, position, receiver, matchers, groupBy, groupWaitMs, groupIntervalMs, repeatIntervalMs,
        sendResolved, continueMatching, owner);
  }
}
