package io.fleetlens.alerting.rules;

import java.util.Map;

/** One rule of a group: an alert over PromQL, an alert over a log count, or a recording rule. */
public sealed interface Rule permits AlertingRule, LogAlertRule, RecordingRule {

  /** The alert's name ({@code alert}) or the recorded metric's name ({@code record}). */
  String name();

  /** Labels added to every alert or recorded series; their values may hold templates. */
  Map<String, String> labels();

  /** What the rule evaluates, as the user wrote it: the PromQL expression or the log query. */
  String query();
}
