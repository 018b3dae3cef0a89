package io.fleetlens.query.logs;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;

import io.fleetlens.core.logs.InvalidQueryException;
import io.fleetlens.core.logs.LogQuery;
import io.fleetlens.core.logs.LogStore;
import io.vertx.core.MultiMap;

/**
 * A log alert rule's {@code logs:} filters are {@code /api/v1/logs}' parameters, checked and read by
 * the same code; the time range, limit and cursor come from the rule's window instead.
 */
public final class LogRuleFilters {

  private static final Set<String> NAMES = Set.of("q", "cluster", "namespace", "pod", "container", "stream", "level",
      "workload");

  private LogRuleFilters() {
  }

  /** What is wrong with the filters, or null. */
  public static String problem(Map<String, String> filters) {
    for (String name : filters.keySet()) {
      if (!NAMES.contains(name) && !name.startsWith("label.") && !name.startsWith("field.")) {
        return "unknown filter " + name + " (use q, cluster, namespace, pod, container, stream, level, workload,"
            + " label.<name>, field.<name>)";
      }
    }
    try {
      query(filters, 0, 1);
      return null;
    } catch (InvalidQueryException e) {
      return e.getMessage();
    }
  }

  static LogQuery query(Map<String, String> filters, long fromMs, long toMs) {
    MultiMap params = MultiMap.caseInsensitiveMultiMap();
    filters.forEach(params::add);
    params.add("start", Instant.ofEpochMilli(fromMs).toString());
    params.add("end", Instant.ofEpochMilli(toMs).toString());
    return LogQueryParameters.parse(params, Clock.fixed(Instant.ofEpochMilli(toMs), ZoneOffset.UTC));
  }

  /** Counts the lines of a log rule's window in {@code store}, the store as the rule's owner sees it. */
  public static long count(LogStore store, Map<String, String> filters, long fromMs, long toMs) throws Exception {
    return store.count(query(filters, fromMs, toMs));
  }
}
