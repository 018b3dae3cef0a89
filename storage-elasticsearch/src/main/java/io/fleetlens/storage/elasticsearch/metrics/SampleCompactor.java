package io.fleetlens.storage.elasticsearch.metrics;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.indices.IndicesBlockOptions;

import io.fleetlens.core.logs.StoreUnavailableException;

/**
 * Packs the samples of a window that is over into chunk documents, one per series, then deletes the
 * window's sample index. A window is due {@code graceMs} after its end, so samples that arrive a
 * little late still land in the sample index; one that arrives after its window was compacted
 * creates the index again, is read from there, and is packed into the same chunk next time.
 *
 * <p>Writes to the window's index are blocked first (writers retry them until the index is gone)
 * so no sample lands between reading and deleting. Several aggregators may run a compactor: each
 * window is claimed with a lease document in the compactions index, and a compactor that dies
 * leaves a lease that expires. A compaction cut short leaves chunks that the next one merges with.
 */
public final class SampleCompactor {

  private static final Logger LOG = LoggerFactory.getLogger(SampleCompactor.class);
  private static final int SERIES_PER_FLUSH = 1_000;

  private final ElasticsearchClient client;
  private final MetricIndexLayout layout;
  private final MetricIndices indices;
  private final String owner;
  private final long leaseMs;

  public SampleCompactor(ElasticsearchClient client, MetricIndexLayout layout, MetricIndices indices, String owner,
      long leaseMs) {
    this.client = client;
    this.layout = layout;
    this.indices = indices;
    this.owner = owner;
    this.leaseMs = leaseMs;
  }

  /** What one compaction did. */
  public record Compacted(String index, long samples, int series) {
  }

  /** Compacts every window that ended at least {@code graceMs} before {@code nowMs}. */
  public List<Compacted> compactDue(long nowMs, long graceMs) throws StoreUnavailableException {
    indices.ensureInstalled();
    List<Compacted> done = new ArrayList<>();
    for (String index : sampleIndices()) {
      OptionalLong window = layout.windowOf(index);
      if (window.isPresent() && window.getAsLong() + MetricIndexLayout.WINDOW_MS + graceMs <= nowMs) {
        compact(index, window.getAsLong()).ifPresent(done::add);
      }
    }
    return done;
  }

  private List<String> sampleIndices() throws StoreUnavailableException {
    try {
      return new ArrayList<>(client.indices().get(g -> g.index(layout.samplePattern()).ignoreUnavailable(true)
          .allowNoIndices(true)).indices().keySet()).stream().sorted().toList();
    } catch (IOException | ElasticsearchException e) {
      throw new StoreUnavailableException("cannot list " + layout.samplePattern() + ": " + e.getMessage(), e);
    }
  }

  private java.util.Optional<Compacted> compact(String index, long window)
      throws StoreUnavailableException {
    Lease lease = new Lease(client, layout.compactionIndex(), index, owner, leaseMs);
    try {
      if (!lease.acquire()) {
        return java.util.Optional.empty();
      }
      client.indices().addBlock(b -> b.index(index).block(IndicesBlockOptions.Write));
      client.indices().refresh(r -> r.index(index));
      Map<String, SeriesPoints> pending = new LinkedHashMap<>();
      long[] samples = {0};
      int[] series = {0};
      StoredSamples.readSampleDocuments(client, List.of(index), Query.of(q -> q.matchAll(m -> m)), (id, t, v) -> {
        SeriesPoints points = pending.get(id);
        if (points == null) {
          if (pending.size() >= SERIES_PER_FLUSH) {
            series[0] += flush(pending, window);
            try {
              lease.renew();
            } catch (IOException e) {
              throw new ChunkWriteFailed("cannot renew the lease: " + e.getMessage());
            }
          }
          points = new SeriesPoints();
          pending.put(id, points);
        }
        points.add(t, v);
        samples[0]++;
      });
      series[0] += flush(pending, window);
      client.indices().refresh(r -> r.index(layout.chunkIndex(window)));
      client.indices().delete(d -> d.index(index).ignoreUnavailable(true));
      LOG.info("compacted {}: {} samples of {} series into {}", index, samples[0], series[0],
          layout.chunkIndex(window));
      return java.util.Optional.of(new Compacted(index, samples[0], series[0]));
    } catch (IOException | ElasticsearchException | ChunkWriteFailed e) {
      unblock(index);
      throw new StoreUnavailableException("cannot compact " + index + ": " + e.getMessage(), e);
    } finally {
      lease.release();
    }
  }

  /**
   * Writes the pending series' chunks, merged with any chunk already written for them (by an
   * earlier compaction, or by an aggregator's head): each written over the version read, or
   * created, so a document that changed meanwhile is read and merged again.
   */
  private int flush(Map<String, SeriesPoints> pending, long window) {
    if (pending.isEmpty()) {
      return 0;
    }
    int n = pending.size();
    String chunkIndex = layout.chunkIndex(window);
    Map<String, SeriesPoints> due = new LinkedHashMap<>(pending);
    try {
      for (int round = 0; !due.isEmpty(); round++) {
        if (round == 8) {
          throw new ChunkWriteFailed("chunk documents of " + due.size() + " series kept changing");
        }
        List<String> ids = due.keySet().stream().map(id -> MetricIndexLayout.chunkId(id, window)).toList();
        Map<String, StoredSamples.StoredChunk> existing = StoredSamples.readChunksById(client, chunkIndex, ids);
        Map<String, long[]> versions = new java.util.HashMap<>();
        Map<String, SampleChunk.Points> merged = new LinkedHashMap<>();
        for (StoredSamples.StoredChunk old : existing.values()) {
          SeriesPoints both = new SeriesPoints();
          both.addAll(old.points()); // a sample already packed stays as it is
          both.addAll(due.get(old.seriesId()).sorted());
          merged.put(old.seriesId(), both.sorted());
          versions.put(old.seriesId(), new long[] {old.seqNo(), old.primaryTerm()});
        }
        BulkRequest.Builder bulk = new BulkRequest.Builder().refresh(Refresh.False);
        List<String> order = new ArrayList<>(due.keySet());
        for (String id : order) {
          SampleChunk.Points points = merged.containsKey(id) ? merged.get(id) : due.get(id).sorted();
          Map<String, Object> doc = StoredSamples.chunkDocument(id, points);
          long[] version = versions.get(id);
          String docId = MetricIndexLayout.chunkId(id, window);
          bulk.operations(op -> version == null
              ? op.create(c -> c.index(chunkIndex).id(docId).document(doc))
              : op.index(i -> i.index(chunkIndex).id(docId).ifSeqNo(version[0]).ifPrimaryTerm(version[1])
                  .document(doc)));
        }
        BulkResponse response = client.bulk(bulk.build());
        Map<String, SeriesPoints> again = new LinkedHashMap<>();
        for (int k = 0; k < order.size(); k++) {
          var item = response.items().get(k);
          if (item.status() == 409) {
            again.put(order.get(k), due.get(order.get(k)));
          } else if (item.error() != null) {
            throw new ChunkWriteFailed(item.error().type() + ": " + item.error().reason());
          }
        }
        due = again;
      }
      pending.clear();
      return n;
    } catch (IOException | ElasticsearchException e) {
      throw new ChunkWriteFailed(e.getMessage());
    }
  }

  private void unblock(String index) {
    try {
      client.indices().putSettings(s -> s.index(index).settings(x -> x.blocks(b -> b.write(false))));
    } catch (IOException | ElasticsearchException e) {
      LOG.warn("cannot lift the write block of {}; the next compaction takes it over: {}", index, e.getMessage());
    }
  }

  private static final class ChunkWriteFailed extends RuntimeException {
    ChunkWriteFailed(String message) {
      super(message);
    }
  }
}
