package io.fleetlens.storage.elasticsearch.metrics;

import java.io.IOException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.json.JsonData;

import io.fleetlens.core.metrics.StaleNaN;

/** Reads samples as they are stored: one document per sample, or packed in chunk documents. */
final class StoredSamples {

  private StoredSamples() {
  }

  /** Receives one stored sample. */
  interface SampleVisitor {
    void sample(String seriesId, long timestamp, double value);
  }

  /** Every sample document matching {@code query} in the given sample indices, in index order. */
  static void readSampleDocuments(ElasticsearchClient client, List<String> indices, Query query,
      SampleVisitor visitor) throws IOException {
    PointInTimeScan.scan(client, indices, s -> s.source(src -> src.fetch(false)).query(query)
        .docvalueFields(d -> d.field("series_id"))
        .docvalueFields(d -> d.field("@timestamp").format("epoch_millis"))
        .docvalueFields(d -> d.field("value"))
        .docvalueFields(d -> d.field("special")), Void.class, hit -> {
          Map<String, JsonData> fields = hit.fields();
          String id = first(fields.get("series_id"));
          long t = Long.parseLong(first(fields.get("@timestamp")).split("\\.")[0]);
          String special = first(fields.get("special"));
          double v = special == null ? Double.parseDouble(first(fields.get("value"))) : switch (special) {
            case "stale" -> StaleNaN.VALUE;
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.NaN;
          };
          visitor.sample(id, t, v);
        });
  }

  /** Every chunk document matching {@code query} in the given chunk indices, decoded. */
  static void readChunks(ElasticsearchClient client, List<String> indices, Query query,
      BiConsumer<String, SampleChunk.Points> visitor) throws IOException {
    PointInTimeScan.scan(client, indices, s -> s.source(src -> src.filter(f -> f.includes("series_id", "data")))
        .query(query), ChunkSource.class, hit -> visitor.accept(hit.source().seriesId(),
            SampleChunk.decode(hit.source().data())));
  }

  /** What a read takes of a chunk document; Jackson decodes the base64 straight into bytes. */
  record ChunkSource(@com.fasterxml.jackson.annotation.JsonProperty("series_id") String seriesId, byte[] data) {
  }

  /** The chunk document of one series' samples over one window. */
  static Map<String, Object> chunkDocument(String seriesId, SampleChunk.Points points) {
    byte[] data = SampleChunk.encode(points.timestamps(), points.values(), 0, points.size());
    return chunkDocument(seriesId, data, points.timestamps()[0], points.timestamps()[points.size() - 1],
        points.size());
  }

  /** The chunk document of an encoded chunk of {@code count} samples from {@code start} to {@code end}. */
  static Map<String, Object> chunkDocument(String seriesId, byte[] data, long start, long end, int count) {
    return Map.of("series_id", seriesId, "start", start, "end", end, "count", count,
        "data", Base64.getEncoder().encodeToString(data));
  }

  private static String first(JsonData values) {
    if (values == null) {
      return null;
    }
    var array = values.toJson().asJsonArray();
    if (array.isEmpty()) {
      return null;
    }
    var v = array.get(0);
    return v instanceof jakarta.json.JsonString s ? s.getString() : v.toString();
  }
}
