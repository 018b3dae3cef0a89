package io.fleetlens.storage.elasticsearch.metrics;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.MgetResponse;

import io.fleetlens.core.metrics.StaleNaN;

/** Reads samples as they are stored: one document per sample, or packed in chunk documents. */
final class StoredSamples {

  /** The chunk document's packed samples: {@code binary} with doc values, left out of the source. */
  static final String SAMPLES = "samples";

  private StoredSamples() {
  }

  /** Receives one stored sample. */
  interface SampleVisitor {
    void sample(String seriesId, long timestamp, double value);
  }

  /** Every sample document matching {@code query} in the given sample indices, in index order. */
  static void readSampleDocuments(ElasticsearchClient client, List<String> indices, Query query,
      SampleVisitor visitor) throws IOException {
    PointInTimeScan.scan(client, indices, s -> sampleFields(s.source(src -> src.fetch(false)).storedFields("_none_")
        .docvalueFields(d -> d.field("series_id")).query(query)), hit -> visitSample(hit, visitor));
  }

  private static co.elastic.clients.elasticsearch.core.SearchRequest.Builder sampleFields(
      co.elastic.clients.elasticsearch.core.SearchRequest.Builder s) {
    return s.docvalueFields(d -> d.field("@timestamp").format("epoch_millis"))
        .docvalueFields(d -> d.field("value"))
        .docvalueFields(d -> d.field("special"));
  }

  private static void visitSample(DocValueHit hit, SampleVisitor visitor) {
    double v = hit.special == null ? hit.value : switch (hit.special) {
      case "stale" -> StaleNaN.VALUE;
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.NaN;
    };
    visitor.sample(hit.seriesId, hit.timestamp, v);
  }

  /**
   * The chunks matching {@code chunkQuery} in chunk indices and the sample documents matching
   * {@code sampleQuery} in sample indices, in one search (one round trip where two were): a hit with
   * an {@code @timestamp} is a sample document, any other a chunk. Every chunk is handed over before
   * any sample document, so a reader that keeps the first of equal timestamps keeps the packed sample,
   * as compaction does, whatever order the hits came in.
   */
  static void readChunksAndSampleDocuments(ElasticsearchClient client, List<String> chunkIndices, Query chunkQuery,
      List<String> sampleIndices, Query sampleQuery, BiConsumer<String, SampleChunk.Points> chunks,
      SampleVisitor samples) throws IOException {
    List<String> indices = both(chunkIndices, sampleIndices);
    Query query = either(chunkQuery, sampleQuery);
    Map<String, List<String>> legacy = new LinkedHashMap<>();
    List<DocValueHit> sampleHits = new ArrayList<>();
    PointInTimeScan.scan(client, indices, s -> sampleFields(fromDocValues(s)).query(query), hit -> {
      if (hit.isSample()) {
        sampleHits.add(hit);
      } else if (hit.samples != null) {
        chunks.accept(hit.seriesId, SampleChunk.decode(hit.samples));
      } else {
        legacy.computeIfAbsent(hit.index, k -> new ArrayList<>()).add(legacyId(hit));
      }
    });
    if (!legacy.isEmpty()) {
      readLegacy(client, legacy).values().forEach(chunk -> chunks.accept(chunk.seriesId(), chunk.points()));
    }
    sampleHits.forEach(hit -> visitSample(hit, samples));
  }

  /**
   * As {@link #readChunksAndSampleDocuments(ElasticsearchClient, List, Query, List, Query, BiConsumer,
   * SampleVisitor)}, chunks taken from {@code cache} where it holds their version: the search asks
   * for each chunk's version instead of its samples (a quarter of the answer, and Elasticsearch
   * reads no samples), then one more search, by id, reads the chunks the cache lacks, which it then keeps.
   * A chunk written over between the two searches comes back newer; it only has more samples.
   */
  static void readChunksAndSampleDocuments(ElasticsearchClient client, ChunkCache cache, List<String> chunkIndices,
      Query chunkQuery, List<String> sampleIndices, Query sampleQuery, BiConsumer<String, SampleChunk.Points> chunks,
      SampleVisitor samples) throws IOException {
    List<String> indices = both(chunkIndices, sampleIndices);
    Query query = either(chunkQuery, sampleQuery);
    Map<String, List<String>> missing = new LinkedHashMap<>();
    List<String> missingIds = new ArrayList<>();
    List<DocValueHit> sampleHits = new ArrayList<>();
    PointInTimeScan.scan(client, indices, s -> sampleFields(versions(s)).query(query), hit -> {
      if (hit.isSample()) {
        sampleHits.add(hit);
        return;
      }
      SampleChunk.Points held = cache.get(version(hit));
      if (held != null) {
        chunks.accept(hit.seriesId, held);
      } else {
        String id = legacyId(hit);
        missing.computeIfAbsent(hit.index, k -> new ArrayList<>()).add(id);
        missingIds.add(id);
      }
    });
    if (!missing.isEmpty()) {
      readMissing(client, cache, missing, missingIds, chunks);
    }
    sampleHits.forEach(hit -> visitSample(hit, samples));
  }

  private static List<String> both(List<String> chunkIndices, List<String> sampleIndices) {
    List<String> indices = new ArrayList<>(chunkIndices);
    indices.addAll(sampleIndices);
    return indices;
  }

  /** A chunk matching its query or a sample document matching its own. */
  private static Query either(Query chunkQuery, Query sampleQuery) {
    return Query.of(q -> q.bool(b -> b.should(chunkQuery).should(sampleQuery).minimumShouldMatch("1")));
  }

  /** The chunks the cache lacked, read by id, kept in the cache at the version read. */
  private static void readMissing(ElasticsearchClient client, ChunkCache cache, Map<String, List<String>> missing,
      List<String> missingIds, BiConsumer<String, SampleChunk.Points> chunks) throws IOException {
    Map<String, List<String>> legacy = new LinkedHashMap<>();
    PointInTimeScan.scan(client, new ArrayList<>(missing.keySet()), s -> fromDocValues(s).seqNoPrimaryTerm(true)
        .docvalueFields(d -> d.field("end").format("epoch_millis")).query(q -> q.ids(i -> i.values(missingIds))), hit -> {
          if (hit.samples != null) {
            SampleChunk.Points points = SampleChunk.decode(hit.samples);
            cache.put(version(hit), points);
            chunks.accept(hit.seriesId, points);
          } else {
            legacy.computeIfAbsent(hit.index, k -> new ArrayList<>()).add(legacyId(hit));
          }
        });
    if (!legacy.isEmpty()) {
      readLegacy(client, legacy).values().forEach(chunk -> chunks.accept(chunk.seriesId(), chunk.points()));
    }
  }

  /** A search for chunk documents' versions: series, first and last sample, sequence number and primary term. */
  private static co.elastic.clients.elasticsearch.core.SearchRequest.Builder versions(
      co.elastic.clients.elasticsearch.core.SearchRequest.Builder s) {
    return s.source(src -> src.fetch(false)).storedFields("_none_").seqNoPrimaryTerm(true)
        .docvalueFields(d -> d.field("series_id"))
        .docvalueFields(d -> d.field("start").format("epoch_millis"))
        .docvalueFields(d -> d.field("end").format("epoch_millis"));
  }

  private static ChunkCache.Version version(DocValueHit hit) {
    return new ChunkCache.Version(hit.index, hit.seriesId, hit.start, hit.end, hit.seqNo, hit.primaryTerm);
  }

  /** A chunk document as stored: its series, its samples, and the version a write over it names. */
  record StoredChunk(String seriesId, SampleChunk.Points points, long seqNo, long primaryTerm) {
  }

  /**
   * The chunk documents with these ids in one chunk index, by id, each at its newest version: the
   * index is refreshed first, since a search sees only what a refresh made visible (the writers
   * come here after a conflict, to merge with what another writer just stored).
   */
  static Map<String, StoredChunk> readChunksById(ElasticsearchClient client, String index, List<String> ids)
      throws IOException {
    Map<String, StoredChunk> found = new HashMap<>();
    if (ids.isEmpty()) {
      return found;
    }
    try {
      client.indices().refresh(r -> r.index(index).ignoreUnavailable(true).allowNoIndices(true));
    } catch (ElasticsearchException e) {
      if ("index_not_found_exception".equals(e.error().type())) {
        return found;
      }
      throw e;
    }
    List<String> legacy = new ArrayList<>();
    PointInTimeScan.scan(client, List.of(index), s -> fromDocValues(s).seqNoPrimaryTerm(true)
        .query(q -> q.ids(i -> i.values(ids))), hit -> {
          if (hit.samples != null) {
            found.put(legacyId(hit), new StoredChunk(hit.seriesId, SampleChunk.decode(hit.samples), hit.seqNo,
                hit.primaryTerm));
          } else {
            legacy.add(legacyId(hit));
          }
        });
    if (!legacy.isEmpty()) {
      found.putAll(readLegacy(client, Map.of(index, legacy)));
    }
    return found;
  }

  /**
   * A search that reads a chunk document's fields from their doc values only: loading a
   * document's stored fields (its id and source) costs Elasticsearch some 20 times more than its doc
   * values (measured, storage-elasticsearch README).
   */
  private static co.elastic.clients.elasticsearch.core.SearchRequest.Builder fromDocValues(
      co.elastic.clients.elasticsearch.core.SearchRequest.Builder s) {
    return s.source(src -> src.fetch(false)).storedFields("_none_")
        .docvalueFields(d -> d.field("series_id"))
        .docvalueFields(d -> d.field("start").format("epoch_millis"))
        .docvalueFields(d -> d.field(SAMPLES));
  }

  /** A chunk document's id, from its series and its first sample (its id is not read). */
  private static String legacyId(DocValueHit hit) {
    return MetricIndexLayout.chunkId(hit.seriesId, MetricIndexLayout.windowStart(hit.start));
  }

  /** Chunk documents written before their samples had doc values: the samples are in the source's {@code data}. */
  private static Map<String, StoredChunk> readLegacy(ElasticsearchClient client, Map<String, List<String>> idsByIndex)
      throws IOException {
    Map<String, StoredChunk> found = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> e : idsByIndex.entrySet()) {
      MgetResponse<Map> docs = client.mget(m -> m.index(e.getKey()).ids(e.getValue()).sourceIncludes("series_id", "data"),
          Map.class);
      for (var doc : docs.docs()) {
        if (doc.isResult() && doc.result().found()) {
          var result = doc.result();
          byte[] data = Base64.getDecoder().decode(String.valueOf(result.source().get("data")));
          found.put(result.id(), new StoredChunk(String.valueOf(result.source().get("series_id")),
              SampleChunk.decode(data), result.seqNo(), result.primaryTerm()));
        }
      }
    }
    return found;
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
        SAMPLES, Base64.getEncoder().encodeToString(data));
  }
}
