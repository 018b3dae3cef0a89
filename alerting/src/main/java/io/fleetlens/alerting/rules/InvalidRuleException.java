package io.fleetlens.alerting.rules;

/**
 * A rule group that cannot be loaded, with the group, the rule (when one rule is at fault) and the
 * problem, so the message says exactly where to look: {@code group "api", rule "HighLatency": for:
 * not a valid duration string: "5 minutes"}.
 */
public final class InvalidRuleException extends RuntimeException {

  private final String group;
  private final String rule;
  private final String problem;

  public InvalidRuleException(String group, String rule, String problem) {
    super(describe(group, rule) + problem);
    this.group = group;
    this.rule = rule;
    this.problem = problem;
  }

  private static String describe(String group, String rule) {
    String where = group == null ? "" : "group \"" + group + "\"";
    if (rule != null) {
      where += (where.isEmpty() ? "" : ", ") + "rule \"" + rule + "\"";
    }
    return where.isEmpty() ? "" : where + ": ";
  }

  /** The group's name, or null when the problem is outside any group. */
  public String group() {
    return group;
  }

  /** The rule's name (its {@code alert} or {@code record}), or null when the group itself is at fault. */
  public String rule() {
    return rule;
  }

  public String problem() {
    return problem;
  }
}
