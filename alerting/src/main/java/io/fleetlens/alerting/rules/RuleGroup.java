package io.fleetlens.alerting.rules;

import java.util.List;
import java.util.Map;

/**
 * A named list of rules evaluated together, in order, every {@code interval}; {@code labels} are
 * added to every rule's output (as Prometheus 3's group labels); {@code limit}, when above 0, is
 * the most series or alerts one rule may give (more is an error of that rule). {@code source} is
 * the group as the user wrote it (YAML), kept so the API can give it back unchanged.
 */
public record RuleGroup(String name, long intervalMs, int limit, Map<String, String> labels, List<Rule> rules,
    String source) {

  public RuleGroup {
    labels = Map.copyOf(labels);
    rules = List.copyOf(rules);
  }
}
