package io.fleetlens.storage.elasticsearch.metrics;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;

import io.fleetlens.core.logs.StoreUnavailableException;
import io.fleetlens.core.metrics.Labels;

/**
 * Stores head chunks as their windows' chunk documents, {@value #HEADS_PER_BULK} heads at a time,
 * with one {@code _bulk} request per round:
 * the series documents the heads add or move the days of (see {@link SeriesDays}), then each
 * chunk, created when its head knows no document, else written over the version it knows. A
 * conflict (the document exists, or changed) reads the stored document, merges, and writes again
 * in the next round; samples found stored already are counted as duplicates.
 */
public final class ElasticsearchChunkWriter {

  private static final int ROUNDS = 4;
  private static final int HEADS_PER_BULK = 2_000;

  private final ElasticsearchClient client;
  private final MetricIndexLayout layout;
  private final MetricIndices indices;
  private final SeriesDays seriesDays;

  public ElasticsearchChunkWriter(ElasticsearchClient client, MetricIndexLayout layout, MetricIndices indices) {
    this.client = client;
    this.layout = layout;
    this.indices = indices;
    this.seriesDays = new SeriesDays(client, layout);
  }

  /**
   * What one {@link #write} did: samples stored for the first time, samples found stored already,
   * and the heads not stored (to write again later) with the first reason.
   */
  public record Outcome(long stored, long duplicate, List<HeadChunk> left, String reason) {
  }

  /** Writes every head with samples not stored yet; throws when Elasticsearch does not answer. */
  public Outcome write(List<HeadChunk> heads) throws StoreUnavailableException {
    List<HeadChunk> due = heads.stream().filter(h -> !h.isStored() && h.size() > 0).toList();
    if (due.isEmpty()) {
      return new Outcome(0, 0, List.of(), null);
    }
    indices.ensureInstalled();
    long stored = 0;
    long duplicate = 0;
    String reason = null;
    List<HeadChunk> left = new ArrayList<>();
    for (int from = 0; from < due.size(); from += HEADS_PER_BULK) { // bounded requests, however many series
      Outcome part = writeSlice(due.subList(from, Math.min(due.size(), from + HEADS_PER_BULK)));
      stored += part.stored();
      duplicate += part.duplicate();
      left.addAll(part.left());
      reason = reason == null ? part.reason() : reason;
    }
    return new Outcome(stored, duplicate, left, reason);
  }

  private Outcome writeSlice(List<HeadChunk> due) throws StoreUnavailableException {
    long stored = 0;
    long duplicate = 0;
    String reason = null;
    List<HeadChunk> left = new ArrayList<>();
    for (int round = 0; round < ROUNDS && !due.isEmpty(); round++) {
      Round r = writeOnce(due);
      stored += r.stored;
      left.addAll(r.failed);
      reason = reason == null ? r.reason : reason;
      duplicate += merge(r.conflicts);
      due = r.conflicts.stream().filter(h -> !h.isStored()).toList(); // stored: all it held was there already
    }
    if (!due.isEmpty()) {
      left.addAll(due);
      reason = reason == null ? "chunk documents kept changing while being written" : reason;
    }
    return new Outcome(stored, duplicate, left, reason);
  }

  private static final class Round {
    long stored;
    final List<HeadChunk> conflicts = new ArrayList<>();
    final List<HeadChunk> failed = new ArrayList<>();
    String reason;
  }

  private Round writeOnce(List<HeadChunk> heads) throws StoreUnavailableException {
    List<Labels> labels = new ArrayList<>(heads.size());
    List<String> ids = new ArrayList<>(heads.size());
    List<Long> times = new ArrayList<>(heads.size());
    for (HeadChunk head : heads) {
      labels.add(head.labels());
      ids.add(head.seriesId());
      times.add(head.window()); // a window lies within one day
    }
    List<SeriesDays.Change> changes = seriesDays.changes(labels, ids, times);
    BulkRequest.Builder bulk = new BulkRequest.Builder();
    changes.forEach(change -> seriesDays.addTo(bulk, change));
    for (HeadChunk head : heads) {
      String index = layout.chunkIndex(head.window());
      String id = MetricIndexLayout.chunkId(head.seriesId(), head.window());
      Map<String, Object> doc = document(head);
      if (head.knowsVersion()) {
        bulk.operations(op -> op.index(i -> i.index(index).id(id).ifSeqNo(head.seqNo())
            .ifPrimaryTerm(head.primaryTerm()).document(doc)));
      } else {
        bulk.operations(op -> op.create(c -> c.index(index).id(id).document(doc)));
      }
    }
    List<BulkResponseItem> items = seriesDays.send(bulk, changes);
    Round round = new Round();
    for (int k = 0; k < heads.size(); k++) {
      HeadChunk head = heads.get(k);
      BulkResponseItem item = items.get(changes.size() + k);
      if (item.error() == null && item.status() / 100 == 2) {
        if (seriesDays.isKnown(head.seriesId())) {
          round.stored += head.unstored();
          head.stored(item.seqNo(), item.primaryTerm());
        } else {
          head.written(item.seqNo(), item.primaryTerm());
          round.failed.add(head);
          round.reason = round.reason == null ? "its series document was not written" : round.reason;
        }
      } else if (item.status() == 409) {
        round.conflicts.add(head);
      } else {
        round.failed.add(head);
        if (round.reason == null) {
          round.reason = item.error() == null ? "status " + item.status()
              : item.error().type() + ": " + item.error().reason();
        }
      }
    }
    return round;
  }

  /** Reads the documents the conflicting heads ran into and merges each head with its own; returns the duplicates. */
  private long merge(List<HeadChunk> conflicts) throws StoreUnavailableException {
    if (conflicts.isEmpty()) {
      return 0;
    }
    Map<String, List<String>> idsByIndex = new LinkedHashMap<>();
    for (HeadChunk head : conflicts) {
      idsByIndex.computeIfAbsent(layout.chunkIndex(head.window()), k -> new ArrayList<>())
          .add(MetricIndexLayout.chunkId(head.seriesId(), head.window()));
    }
    Map<String, StoredSamples.StoredChunk> found = new HashMap<>();
    try {
      for (Map.Entry<String, List<String>> e : idsByIndex.entrySet()) {
        found.putAll(StoredSamples.readChunksById(client, e.getKey(), e.getValue()));
      }
    } catch (IOException | ElasticsearchException e) {
      throw new StoreUnavailableException("cannot read chunk documents: " + e.getMessage(), e);
    }
    long duplicates = 0;
    for (HeadChunk head : conflicts) {
      StoredSamples.StoredChunk stored = found.get(MetricIndexLayout.chunkId(head.seriesId(), head.window()));
      duplicates += stored == null ? head.mergeWith(null, -1, -1)
          : head.mergeWith(stored.points(), stored.seqNo(), stored.primaryTerm());
      if (head.unstored() == 0 && stored != null) {
        head.stored(stored.seqNo(), stored.primaryTerm());
      }
    }
    return duplicates;
  }

  private static Map<String, Object> document(HeadChunk head) {
    return StoredSamples.chunkDocument(head.seriesId(), head.bytes(), head.firstTimestamp(), head.lastTimestamp(),
        head.size());
  }
}
