package io.fleetlens.query.loki;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.fleetlens.logql.eval.LogqlEngine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A log query's streams in Loki's categorized form (asked for with
 * {@code X-Loki-Response-Encoding-Flags: categorize-labels}): each stream keyed by its stream labels
 * only, each line a 3-tuple {@code ["<ns>", "<line>", {"structuredMetadata": {...}, "parsed":
 * {...}}]}. A line's stored fields are its structured metadata (all of them, so Grafana shows them
 * as fields); what the pipeline added or changed is parsed.
 */
final class CategorizedStreams {

  private CategorizedStreams() {
  }

  static JsonArray of(LogqlEngine.Streams result) {
    Map<Map<String, String>, JsonArray> byStream = new LinkedHashMap<>();
    for (LogqlEngine.Stream s : result.streams()) {
      for (LogqlEngine.Entry e : s.entries()) {
        Map<String, String> stream = new TreeMap<>();
        Map<String, String> metadata = new TreeMap<>();
        Map<String, String> parsed = new TreeMap<>();
        Map<String, String> original = e.source().stream().toMap();
        e.source().metadata().forEach((k, v) -> metadata.put(io.fleetlens.logql.eval.LogEntry.labelName(k), v));
        s.labels().forEach((name, value) -> {
          if (value.equals(original.get(name))) {
            stream.put(name, value);
          } else if (!value.equals(metadata.get(name))) {
            parsed.put(name, value);
          }
        });
        JsonObject categories = new JsonObject();
        if (!metadata.isEmpty()) {
          categories.put("structuredMetadata", new JsonObject(new LinkedHashMap<>(metadata)));
        }
        if (!parsed.isEmpty()) {
          categories.put("parsed", new JsonObject(new LinkedHashMap<>(parsed)));
        }
        byStream.computeIfAbsent(stream, k -> new JsonArray()).add(new JsonArray(List.of(
            Long.toString(e.timestampNanos()), e.line(), categories)));
      }
    }
    JsonArray out = new JsonArray();
    byStream.forEach((stream, values) -> out.add(new JsonObject()
        .put("stream", new JsonObject(new LinkedHashMap<>(stream))).put("values", values)));
    return out;
  }
}
