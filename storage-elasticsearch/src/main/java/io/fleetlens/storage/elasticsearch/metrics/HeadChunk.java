package io.fleetlens.storage.elasticsearch.metrics;

import io.fleetlens.core.metrics.Labels;

/**
 * The samples of one series in one window as the aggregator holds them: a growing
 * {@link SampleChunk}, stored by rewriting the window's chunk document (id
 * {@code <series id>:<window start>}, the document compaction writes) with everything so far. The
 * version of the document it last wrote is kept, so a write over a document someone else changed
 * (a compactor merging late samples, another aggregator before a rebalance) is a conflict and
 * merges instead of overwriting. A head that has never written its document does not know
 * whether one exists; its first write creates it, or merges with it.
 */
public final class HeadChunk {

  /** What became of one appended sample. */
  public enum Append {
    /** held, to be stored with the next write */
    ADDED,
    /** a sample with the same timestamp is in the chunk already; the first one stays */
    DUPLICATE,
    /** before this chunk's window: it belongs to a window this head no longer holds */
    EARLIER_WINDOW,
    /** in a later window: this head is done, the series needs a new one */
    LATER_WINDOW
  }

  private final String seriesId;
  private final Labels labels;
  private final long window;
  private SampleChunk.Appender chunk = new SampleChunk.Appender();
  private int unstored;
  private long seqNo = -1;
  private long primaryTerm = -1;

  public HeadChunk(String seriesId, Labels labels, long windowStart) {
    this.seriesId = seriesId;
    this.labels = labels;
    this.window = windowStart;
  }

  public Append append(long t, double v) {
    if (t < window) {
      return Append.EARLIER_WINDOW;
    }
    if (t >= window + MetricIndexLayout.WINDOW_MS) {
      return Append.LATER_WINDOW;
    }
    if (chunk.size() == 0 || t > chunk.lastTimestamp()) {
      chunk.append(t, v);
      unstored++;
      return Append.ADDED;
    }
    SampleChunk.Points held = points();
    if (java.util.Arrays.binarySearch(held.timestamps(), t) >= 0) {
      return Append.DUPLICATE;
    }
    SeriesPoints merged = new SeriesPoints();
    merged.addAll(held);
    merged.add(t, v);
    rewrite(merged.sorted());
    unstored++;
    return Append.ADDED;
  }

  public String seriesId() {
    return seriesId;
  }

  public Labels labels() {
    return labels;
  }

  public long window() {
    return window;
  }

  public int size() {
    return chunk.size();
  }

  /** Samples appended since the chunk was last stored. */
  public int unstored() {
    return unstored;
  }

  public boolean isStored() {
    return unstored == 0;
  }

  /** Memory this head holds, roughly: the chunk's buffer and the object itself (labels not counted). */
  public long retainedBytes() {
    return chunk.retainedBytes() + 96;
  }

  public SampleChunk.Points points() {
    return SampleChunk.decode(chunk.toBytes());
  }

  byte[] bytes() {
    return chunk.toBytes();
  }

  long firstTimestamp() {
    return chunk.firstTimestamp();
  }

  long lastTimestamp() {
    return chunk.lastTimestamp();
  }

  boolean knowsVersion() {
    return seqNo >= 0;
  }

  long seqNo() {
    return seqNo;
  }

  long primaryTerm() {
    return primaryTerm;
  }

  /** Its document now holds the chunk as it is. */
  void stored(long seqNo, long primaryTerm) {
    written(seqNo, primaryTerm);
    unstored = 0;
  }

  /** Its document was written at this version, but the chunk does not count as stored yet. */
  void written(long seqNo, long primaryTerm) {
    this.seqNo = seqNo;
    this.primaryTerm = primaryTerm;
  }

  /**
   * Takes in the document found stored (at its version; {@code null}: there is none): the samples
   * of both, the stored one kept where both have a timestamp. Returns how many of this head's
   * samples were there already.
   */
  int mergeWith(SampleChunk.Points stored, long seqNo, long primaryTerm) {
    this.seqNo = seqNo;
    this.primaryTerm = primaryTerm;
    if (stored == null || stored.size() == 0) {
      return 0;
    }
    SeriesPoints merged = new SeriesPoints();
    merged.addAll(stored);
    merged.addAll(points());
    SampleChunk.Points all = merged.sorted();
    int added = all.size() - stored.size();
    int duplicates = Math.max(0, unstored - added);
    rewrite(all);
    unstored = added;
    return duplicates;
  }

  private void rewrite(SampleChunk.Points points) {
    SampleChunk.Appender fresh = new SampleChunk.Appender();
    for (int i = 0; i < points.size(); i++) {
      fresh.append(points.timestamps()[i], points.values()[i]);
    }
    chunk = fresh;
  }
}
