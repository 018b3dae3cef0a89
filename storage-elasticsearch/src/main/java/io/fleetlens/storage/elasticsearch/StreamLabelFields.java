package io.fleetlens.storage.elasticsearch;

import java.util.List;
import java.util.Map;

import co.elastic.clients.elasticsearch._types.query_dsl.Query;

import io.fleetlens.core.metrics.LabelMatcher;

/**
 * How a line's stream labels ({@link io.fleetlens.core.logs.StreamLabels}) lie in a log document: {@code cluster}, {@code namespace},
 * {@code pod}, {@code container}, {@code node}, {@code stream}, {@code level} as fields of their
 * names, {@code workload} as {@code workload.name}, any other name as a pod label
 * ({@code labels.<name>}). A stream matcher becomes a filter on that field; a regex becomes
 * Lucene's {@code regexp} (anchored, like Prometheus') only when it uses nothing whose meaning
 * differs between the two dialects; otherwise nothing here, and the caller checks every line.
 */
final class StreamLabelFields {

  private static final Map<String, String> FIELDS = Map.of("cluster", "cluster", "namespace", "namespace", "pod",
      "pod", "container", "container", "node", "node", "stream", "stream", "level", "level", "workload",
      "workload.name");

  /** Letters, digits and the operators both dialects read alike. */
  private static final java.util.regex.Pattern PORTABLE = java.util.regex.Pattern.compile("[\\w\\-.*+?|()\\[\\]{},/:= ]*");

  private StreamLabelFields() {
  }

  static String field(String label) {
    return FIELDS.getOrDefault(label, "labels." + label);
  }

  /**
   * Adds the filters (or exclusions) that select what {@code m} matches, as far as they can be said
   * exactly. A pod label's stream name has {@code .}, {@code /} and {@code -} made {@code _}
   * ({@code app.kubernetes.io/name} is {@code app_kubernetes_io_name}), so a name with {@code _} may
   * stand for several keys and is left to the caller's check.
   */
  static void filter(LabelMatcher m, List<Query> filters, List<Query> mustNot) {
    if (!FIELDS.containsKey(m.name()) && m.name().contains("_")) {
      return;
    }
    String field = field(m.name());
    switch (m.type()) {
      case EQUAL -> {
        if (m.value().isEmpty()) {
          mustNot.add(Query.of(q -> q.exists(e -> e.field(field))));
        } else {
          filters.add(Query.of(q -> q.term(t -> t.field(field).value(m.value()))));
        }
      }
      case NOT_EQUAL -> {
        if (m.value().isEmpty()) {
          filters.add(Query.of(q -> q.exists(e -> e.field(field))));
        } else {
          mustNot.add(Query.of(q -> q.term(t -> t.field(field).value(m.value()))));
        }
      }
      case REGEX -> {
        if (portable(m.value()) && !m.matchesEmpty()) {
          filters.add(Query.of(q -> q.regexp(r -> r.field(field).value(m.value()))));
        }
      }
      case NOT_REGEX -> {
        if (portable(m.value()) && !m.matchesEmpty()) {
          mustNot.add(Query.of(q -> q.regexp(r -> r.field(field).value(m.value()))));
        }
      }
    }
  }

  /** Whether Lucene's regexp reads the pattern as Java (and RE2) do. */
  static boolean portable(String regex) {
    return PORTABLE.matcher(regex).matches() && !regex.contains("(?") && !regex.contains("{");
  }
}
