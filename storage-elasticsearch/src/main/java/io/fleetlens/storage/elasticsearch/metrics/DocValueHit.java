package io.fleetlens.storage.elasticsearch.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One hit of a search over chunk, sample or series indices, with the doc-value fields those reads
 * ask for, read straight off the answer's bytes by Jackson's streaming parser. The Java client's typed
 * answer turns every field of every hit into a JSON tree first, which cost more than Elasticsearch's
 * own search for a query's chunks (bench metrics; storage-elasticsearch README).
 */
final class DocValueHit {

  /** The fields of a search answer {@link #parse} reads: everything else Elasticsearch leaves out. */
  static final String FILTER_PATH = "took,_shards.failures,hits.hits._index,hits.hits._seq_no,"
      + "hits.hits._primary_term,hits.hits.fields,hits.hits.sort";

  private static final ObjectMapper JSON = new ObjectMapper();

  String index;
  String seriesId;
  /** A chunk's first sample (epoch ms), or {@link Long#MIN_VALUE}. */
  long start = Long.MIN_VALUE;
  /** A chunk's last sample (epoch ms), when asked for, or {@link Long#MIN_VALUE}. */
  long end = Long.MIN_VALUE;
  /** A chunk's packed samples, or null (a sample document, or a chunk written before they had doc values). */
  byte[] samples;
  /** A sample document's time (epoch ms), or {@link Long#MIN_VALUE} for a chunk. */
  long timestamp = Long.MIN_VALUE;
  double value = Double.NaN;
  /** A sample document's value that is not a number: {@code stale}, {@code +Inf}, {@code -Inf}, {@code NaN}. */
  String special;
  /** A series document's metric name and labels ({@code name}, {@code labels.*}), or null. */
  java.util.Map<String, String> labels;
  long seqNo = -1;
  long primaryTerm = -1;
  /** The hit's first sort value (its {@code _doc} or {@code _shard_doc}). */
  long sort = -1;

  boolean isSample() {
    return timestamp != Long.MIN_VALUE;
  }

  private DocValueHit() {
  }

  /** What {@link #parse} found besides the hits. */
  record Page(int hits, long tookMs, long lastSort) {
  }

  /**
   * Reads a search answer (shaped by {@link #FILTER_PATH}), handing each hit to {@code each}.
   *
   * @throws IOException when the answer does not parse, or names shard failures (its hits would be
   *     short of what the query matches)
   */
  static Page parse(InputStream answer, Consumer<DocValueHit> each) throws IOException {
    int hits = 0;
    long lastSort = -1;
    long took = -1;
    try (JsonParser p = JSON.createParser(answer)) {
      expect(p.nextToken(), JsonToken.START_OBJECT, p);
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        p.nextToken();
        switch (name) {
          case "took" -> took = p.getLongValue();
          case "_shards" -> shards(p);
          case "hits" -> {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              p.nextToken();
              if (!p.currentName().equals("hits")) {
                p.skipChildren();
                continue;
              }
              expect(p.currentToken(), JsonToken.START_ARRAY, p);
              while (p.nextToken() == JsonToken.START_OBJECT) {
                DocValueHit hit = new DocValueHit();
                hit.read(p);
                each.accept(hit);
                lastSort = hit.sort;
                hits++;
              }
            }
          }
          default -> p.skipChildren();
        }
      }
    }
    return new Page(hits, took, lastSort);
  }

  private void read(JsonParser p) throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken token = p.nextToken();
      switch (name) {
        case "_index" -> index = p.getText();
        case "_seq_no" -> seqNo = p.getLongValue();
        case "_primary_term" -> primaryTerm = p.getLongValue();
        case "sort" -> {
          expect(token, JsonToken.START_ARRAY, p);
          if (p.nextToken() != JsonToken.END_ARRAY) {
            sort = p.getLongValue();
            p.skipChildren();
            while (p.nextToken() != JsonToken.END_ARRAY) {
              p.skipChildren();
            }
          }
        }
        case "fields" -> fields(p);
        default -> p.skipChildren();
      }
    }
  }

  /** Each doc-value field is an array of values; these fields have one. */
  private void fields(JsonParser p) throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      expect(p.nextToken(), JsonToken.START_ARRAY, p);
      if (p.nextToken() == JsonToken.END_ARRAY) {
        continue;
      }
      switch (name) {
        case "series_id" -> seriesId = p.getText();
        case "start" -> start = epochMillis(p);
        case "end" -> end = epochMillis(p);
        case "@timestamp" -> timestamp = epochMillis(p);
        case "value" -> value = p.getValueAsDouble(Double.NaN);
        case "special" -> special = p.getText();
        case StoredSamples.SAMPLES -> samples = p.getBinaryValue();
        case "name" -> label(io.fleetlens.core.metrics.Labels.METRIC_NAME, p.getText());
        default -> {
          if (name.startsWith("labels.")) {
            label(name.substring("labels.".length()), p.getText());
          } else {
            p.skipChildren();
          }
        }
      }
      while (p.nextToken() != JsonToken.END_ARRAY) {
        p.skipChildren();
      }
    }
  }

  private void label(String name, String value) {
    if (labels == null) {
      labels = new java.util.HashMap<>();
    }
    labels.put(name, value);
  }

  /** A date doc value asked for as {@code epoch_millis}: a string, with a fraction where the date has one. */
  private static long epochMillis(JsonParser p) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
      return p.getLongValue();
    }
    String text = p.getText();
    int dot = text.indexOf('.');
    return Long.parseLong(dot < 0 ? text : text.substring(0, dot));
  }

  private static void shards(JsonParser p) throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      if (name.equals("failures")) {
        JsonNode failures = p.readValueAsTree();
        throw new IOException("the search failed on " + failures.size() + " shard(s): "
            + failures.path(0).path("reason"));
      }
      p.skipChildren();
    }
  }

  private static void expect(JsonToken found, JsonToken wanted, JsonParser p) throws IOException {
    if (found != wanted) {
      throw new IOException("unexpected " + found + " in a search answer at " + p.currentLocation());
    }
  }
}
