package io.fleetlens.alerting.rules;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import io.fleetlens.promql.parse.Expr;
import io.fleetlens.promql.parse.ParseException;
import io.fleetlens.promql.parse.ParsedQuery;
import io.fleetlens.promql.parse.Parser;

/**
 * Reads Prometheus rule files ({@code groups: [...]}) and single groups, and refuses anything
 * Prometheus would refuse, plus what would fail later: PromQL that does not parse or is not a
 * vector or scalar, durations, label names, templates, fields that do not belong to the rule's
 * kind, unknown fields (a typo such as {@code fro: 5m} must not silently mean "no for"), and two
 * rules of a group with the same name and labels, which would write the same series. Each problem
 * is an {@link InvalidRuleException} naming the group and rule.
 */
public final class RuleGroupParser {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
  private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final Set<String> GROUP_FIELDS = Set.of("name", "interval", "labels", "limit", "rules");
  private static final Set<String> RULE_FIELDS = Set.of("alert", "record", "expr", "for", "keep_firing_for", "labels",
      "annotations", "logs", "threshold", "window");

  private final long defaultIntervalMs;
  private final Function<Map<String, String>, String> logQueryProblem;

  /**
   * @param defaultIntervalMs a group's interval when it gives none
   * @param logQueryProblem what is wrong with a log rule's filters, or null when they are valid
   */
  public RuleGroupParser(long defaultIntervalMs, Function<Map<String, String>, String> logQueryProblem) {
    this.defaultIntervalMs = defaultIntervalMs;
    this.logQueryProblem = logQueryProblem;
  }

  /** A rule file: {@code groups:} and a list of groups, whose names must differ. */
  public List<RuleGroup> parseFile(String yaml) {
    JsonNode root = read(yaml);
    if (!root.isObject() || !root.path("groups").isArray()) {
      throw new InvalidRuleException(null, null, "a rule file needs a \"groups\" list");
    }
    Iterator<String> fields = root.fieldNames();
    while (fields.hasNext()) {
      String f = fields.next();
      if (!f.equals("groups")) {
        throw new InvalidRuleException(null, null, "field " + f + " not found in type rulefmt.RuleGroups");
      }
    }
    List<RuleGroup> groups = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (JsonNode g : root.get("groups")) {
      RuleGroup group = group(g);
      if (!names.add(group.name())) {
        throw new InvalidRuleException(group.name(), null, "groupname: \"" + group.name()
            + "\" is repeated in the same file");
      }
      groups.add(group);
    }
    return groups;
  }

  /** One group, as YAML or JSON: {@code name}, {@code interval}, {@code labels}, {@code limit}, {@code rules}. */
  public RuleGroup parseGroup(String yamlOrJson) {
    return group(read(yamlOrJson));
  }

  private static JsonNode read(String text) {
    try {
      JsonNode node = YAML.readTree(text);
      if (node == null || node.isMissingNode() || node.isNull()) {
        throw new InvalidRuleException(null, null, "empty rule definition");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new InvalidRuleException(null, null, "not valid YAML: " + e.getOriginalMessage());
    }
  }

  private RuleGroup group(JsonNode g) {
    if (!g.isObject()) {
      throw new InvalidRuleException(null, null, "a group must be a mapping with name and rules");
    }
    String name = g.path("name").isTextual() ? g.get("name").asText() : "";
    if (name.isBlank()) {
      throw new InvalidRuleException(null, null, "groupname must not be empty");
    }
    unknownFields(g, GROUP_FIELDS, name, null, "rulefmt.RuleGroup");
    long interval = g.has("interval") ? duration(g.get("interval"), "interval", name, null) : defaultIntervalMs;
    if (interval <= 0) {
      throw new InvalidRuleException(name, null, "interval: must be greater than 0");
    }
    if (g.has("limit") && (!g.get("limit").canConvertToInt() || g.get("limit").asInt() < 0)) {
      throw new InvalidRuleException(name, null, "limit: must be a whole number of at least 0");
    }
    Map<String, String> labels = labels(g.path("labels"), "labels", name, null);
    if (!g.path("rules").isArray() || g.get("rules").isEmpty()) {
      throw new InvalidRuleException(name, null, "rules: a group needs a list of at least one rule");
    }
    List<Rule> rules = new ArrayList<>();
    Set<String> identities = new HashSet<>();
    for (JsonNode r : g.get("rules")) {
      Rule rule = rule(r, name);
      if (!identities.add(rule.name() + rule.labels())) {
        throw new InvalidRuleException(name, rule.name(), "duplicate rule: another rule of this group has the same"
            + " name and labels, so both would write the same series");
      }
      rules.add(rule);
    }
    try {
      return new RuleGroup(name, interval, g.path("limit").asInt(0), labels, rules, YAML.writeValueAsString(g));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private Rule rule(JsonNode r, String group) {
    if (!r.isObject()) {
      throw new InvalidRuleException(group, null, "a rule must be a mapping");
    }
    boolean alert = r.has("alert");
    boolean record = r.has("record");
    String name = text(r, alert ? "alert" : "record", group, null);
    if (alert == record) {
      throw new InvalidRuleException(group, name, alert ? "only one of 'record' and 'alert' must be set"
          : "one of 'record' or 'alert' must be set");
    }
    if (name == null || name.isEmpty()) {
      throw new InvalidRuleException(group, null, (alert ? "alert" : "record") + ": must not be empty");
    }
    unknownFields(r, RULE_FIELDS, group, name, "rulefmt.Rule");
    Map<String, String> labels = labels(r.path("labels"), "labels", group, name);
    if (record) {
      return recording(r, group, name, labels);
    }
    Map<String, String> annotations = labels(r.path("annotations"), "annotations", group, name);
    long forMs = r.has("for") ? duration(r.get("for"), "for", group, name) : 0;
    long keepFiring = r.has("keep_firing_for") ? duration(r.get("keep_firing_for"), "keep_firing_for", group, name) : 0;
    if (r.has("logs")) {
      return logAlert(r, group, name, forMs, keepFiring, labels, annotations);
    }
    for (String f : List.of("threshold", "window")) {
      if (r.has(f)) {
        throw new InvalidRuleException(group, name, "invalid field '" + f + "': only log rules (with 'logs') have it");
      }
    }
    String expr = text(r, "expr", group, name);
    return new AlertingRule(name, expr, promql(expr, group, name), forMs, keepFiring, labels, annotations);
  }

  private RecordingRule recording(JsonNode r, String group, String name, Map<String, String> labels) {
    if (!METRIC_NAME.matcher(name).matches()) {
      throw new InvalidRuleException(group, name, "invalid recording rule name: " + name);
    }
    for (String f : List.of("for", "keep_firing_for", "annotations", "logs", "threshold", "window")) {
      if (r.has(f)) {
        throw new InvalidRuleException(group, name, "invalid field '" + f + "' in recording rule");
      }
    }
    labels.values().forEach(v -> {
      if (v.contains("{{")) {
        throw new InvalidRuleException(group, name, "labels: templates are only expanded in alerting rules");
      }
    });
    String expr = text(r, "expr", group, name);
    return new RecordingRule(name, expr, promql(expr, group, name), labels);
  }

  private LogAlertRule logAlert(JsonNode r, String group, String name, long forMs, long keepFiring,
      Map<String, String> labels, Map<String, String> annotations) {
    if (r.has("expr")) {
      throw new InvalidRuleException(group, name, "a rule has either 'expr' (PromQL) or 'logs' (a log query), not both");
    }
    Map<String, String> logs = labels(r.get("logs"), "logs", group, name);
    String problem = logQueryProblem.apply(logs);
    if (problem != null) {
      throw new InvalidRuleException(group, name, "logs: " + problem);
    }
    JsonNode threshold = r.get("threshold");
    if (threshold == null || !threshold.canConvertToLong() || threshold.asLong() < 0) {
      throw new InvalidRuleException(group, name, "threshold: a log rule needs a whole number of lines of at least 0");
    }
    if (!r.has("window")) {
      throw new InvalidRuleException(group, name, "window: a log rule needs the window its lines are counted over");
    }
    long window = duration(r.get("window"), "window", group, name);
    return new LogAlertRule(name, logs, threshold.asLong(), window, forMs, keepFiring, labels, annotations);
  }

  private static ParsedQuery promql(String expr, String group, String name) {
    if (expr == null || expr.isBlank()) {
      throw new InvalidRuleException(group, name, "field 'expr' must be set in rule");
    }
    try {
      ParsedQuery parsed = Parser.parseQuery(expr);
      Expr.Type type = parsed.expr().type();
      if (type != Expr.Type.VECTOR && type != Expr.Type.SCALAR) {
        throw new InvalidRuleException(group, name, "expr: must be an instant vector or a scalar, not a "
            + type.description());
      }
      return parsed;
    } catch (ParseException e) {
      throw new InvalidRuleException(group, name, "expr: " + e.getMessage());
    }
  }

  private static long duration(JsonNode v, String field, String group, String rule) {
    String text = v.isTextual() ? v.asText() : v.toString();
    try {
      return Parser.parseDuration(text);
    } catch (ParseException | NumberFormatException e) {
      throw new InvalidRuleException(group, rule, field + ": not a valid duration string: \"" + text + "\"");
    }
  }

  private static String text(JsonNode r, String field, String group, String rule) {
    JsonNode v = r.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isValueNode() || v.isBoolean()) {
      throw new InvalidRuleException(group, rule, field + ": must be a string");
    }
    return v.asText();
  }

  private static Map<String, String> labels(JsonNode node, String field, String group, String rule) {
    Map<String, String> out = new LinkedHashMap<>();
    if (node == null || node.isMissingNode() || node.isNull()) {
      return out;
    }
    if (!node.isObject()) {
      throw new InvalidRuleException(group, rule, field + ": must be a mapping of names to strings");
    }
    Iterator<Map.Entry<String, JsonNode>> it = node.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = e.getKey();
      if (!field.equals("logs") && (!LABEL_NAME.matcher(key).matches() || key.equals("__name__"))) {
        throw new InvalidRuleException(group, rule, "invalid " + field.replaceAll("s$", "") + " name: " + key);
      }
      if (!e.getValue().isValueNode() || e.getValue().isNull()) {
        throw new InvalidRuleException(group, rule, field + "." + key + ": must be a string");
      }
      String value = e.getValue().asText();
      if (!field.equals("logs")) {
        try {
          AlertTemplate.parse(value);
        } catch (IllegalArgumentException bad) {
          throw new InvalidRuleException(group, rule, field + "." + key + ": template: " + bad.getMessage());
        }
      }
      out.put(key, value);
    }
    return out;
  }

  private static void unknownFields(JsonNode node, Set<String> known, String group, String rule, String type) {
    Iterator<String> fields = node.fieldNames();
    while (fields.hasNext()) {
      String f = fields.next();
      if (!known.contains(f)) {
        throw new InvalidRuleException(group, rule, "field " + f + " not found in type " + type);
      }
    }
  }
}
