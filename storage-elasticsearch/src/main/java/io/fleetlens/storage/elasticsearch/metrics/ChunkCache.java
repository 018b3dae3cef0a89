package io.fleetlens.storage.elasticsearch.metrics;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Decoded chunk documents, by the version of the document they were read from, so a query that
 * reads a chunk again (a dashboard refreshing, the next panel over the same series) asks
 * Elasticsearch only which chunks and versions it matches, not for their samples. A version is the
 * document's index, series, first and last sample, {@code _seq_no} and {@code _primary_term}:
 * a chunk written over (a head's next flush, a late sample merged in) has a new sequence number,
 * so an entry is never stale, only unused until evicted. (A chunk index deleted and made again
 * under its name starts its sequence numbers over; its chunks would have to begin and end where
 * the old ones did, at the same sequence number, to be taken for them.) Bounded by bytes (Caffeine, least
 * frequently and recently used go first). Shared by every tenant: a query only ever looks up the
 * versions its own search returned.
 */
final class ChunkCache {

  /** What one cached sample costs: its timestamp and its value. */
  private static final int BYTES_PER_SAMPLE = 16;
  /** What one entry costs besides its samples: key, arrays' headers, the cache's node. */
  private static final int BYTES_PER_ENTRY = 160;

  /** One version of one chunk document. */
  record Version(String index, String seriesId, long start, long end, long seqNo, long primaryTerm) {

    @Override
    public boolean equals(Object o) { // the numbers first: they tell most versions apart
      return o instanceof Version v && seqNo == v.seqNo && start == v.start && end == v.end
          && primaryTerm == v.primaryTerm && seriesId.equals(v.seriesId) && index.equals(v.index);
    }

    @Override
    public int hashCode() {
      return (Long.hashCode(seqNo) * 31 + Long.hashCode(start)) * 31 + seriesId.hashCode();
    }
  }

  private final Cache<Version, SampleChunk.Points> chunks;

  /** A cache of up to {@code maxBytes} of decoded samples; 0 keeps nothing. */
  ChunkCache(long maxBytes) {
    chunks = Caffeine.newBuilder().maximumWeight(maxBytes)
        .weigher((Version v, SampleChunk.Points p) -> (int) Math.min(Integer.MAX_VALUE,
            BYTES_PER_ENTRY + (long) BYTES_PER_SAMPLE * p.size()))
        .executor(Runnable::run) // evictions in the reading thread: no pool of its own
        .build();
  }

  /** The chunk read at this version before, or null. */
  SampleChunk.Points get(Version version) {
    return chunks.getIfPresent(version);
  }

  void put(Version version, SampleChunk.Points points) {
    chunks.put(version, points);
  }
}
