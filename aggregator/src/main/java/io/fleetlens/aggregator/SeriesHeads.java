package io.fleetlens.aggregator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.fleetlens.core.metrics.Labels;
import io.fleetlens.storage.elasticsearch.metrics.HeadChunk;
import io.fleetlens.storage.elasticsearch.metrics.MetricIndexLayout;
import io.fleetlens.transport.kafka.SeriesLabelBytes;

/**
 * The head of every series one metrics consumer reads: its newest window's samples as a
 * {@link HeadChunk}, held between flushes. A sample in a later window retires the head (kept until
 * it is stored) and starts the next; a sample before the head's window is late and stored the
 * way late samples are. Heads are counted against a limit shared by the process's consumers; a
 * new series past it, or while the heap is nearly full, is refused. A stored head that received nothing for {@code idleNanos} is
 * dropped; should its series come back, its document is merged with on the first write.
 */
final class SeriesHeads {

  /** What became of one sample. */
  enum Outcome {
    HELD, DUPLICATE, LATE, REFUSED
  }

  /** Active heads of every consumer of this process, against their limit and the heap. */
  static final class Budget {
    private final long limit;
    private final java.util.function.BooleanSupplier heapFull;
    private final AtomicLong active = new AtomicLong();

    Budget(long limit) {
      this(limit, () -> false);
    }

    Budget(long limit, java.util.function.BooleanSupplier heapFull) {
      this.limit = limit;
      this.heapFull = heapFull;
    }

    /** Why a new head cannot be made now, or null when one was taken. */
    String take() {
      if (heapFull.getAsBoolean()) {
        return "heap nearly full";
      }
      while (true) {
        long now = active.get();
        if (now >= limit) {
          return "active series limit reached";
        }
        if (active.compareAndSet(now, now + 1)) {
          return null;
        }
      }
    }

    void give(long n) {
      active.addAndGet(-n);
    }

    long active() {
      return active.get();
    }

    long limit() {
      return limit;
    }
  }

  /** One series' head, found by the bytes of its labels as the metrics topic carries them. */
  static final class Head {
    private HeadChunk chunk;
    private long lastAppendNanos;

    private Head(HeadChunk chunk) {
      this.chunk = chunk;
    }
  }

  private final Map<SeriesLabelBytes, Head> heads = new HashMap<>();
  private final List<HeadChunk> retired = new ArrayList<>();
  private final Budget budget;
  private final long idleNanos;
  private long lastPressureEviction = Long.MIN_VALUE / 2;
  private String lastRefusal = "";

  SeriesHeads(Budget budget, long idleNanos) {
    this.budget = budget;
    this.idleNanos = idleNanos;
  }

  /** {@link #find}, else {@link #open}, then {@link #add(Head, long, double, long)}. */
  Outcome add(SeriesLabelBytes key, Labels labels, long t, double v, long nowNanos) {
    Head head = find(key);
    if (head == null) {
      head = open(key, labels, t, nowNanos);
      if (head == null) {
        return Outcome.REFUSED;
      }
    }
    return add(head, t, v, nowNanos);
  }

  /** The head of the series with these label bytes, or null when it has none here. */
  Head find(SeriesLabelBytes key) {
    return heads.get(key);
  }

  /**
   * A new head for a series that has none, its window the one of {@code t}; null when the series is
   * refused ({@link #lastRefusal()} says why): past the active-series limit or with the heap nearly full.
   */
  Head open(SeriesLabelBytes key, Labels labels, long t, long nowNanos) {
    String refusal = budget.take();
    if (refusal != null) {
      if (nowNanos - lastPressureEviction < 1_000_000_000L) {
        lastRefusal = refusal;
        return null;
      }
      lastPressureEviction = nowNanos; // at most once a second: a scan of every head
      evictIdle(nowNanos, Math.min(idleNanos, 60_000_000_000L));
      refusal = budget.take();
      if (refusal != null) {
        lastRefusal = refusal;
        return null;
      }
    }
    Head head = new Head(new HeadChunk(MetricIndexLayout.seriesId(labels), labels, MetricIndexLayout.windowStart(t)));
    heads.put(key.copy(), head);
    return head;
  }

  Outcome add(Head head, long t, double v, long nowNanos) {
    head.lastAppendNanos = nowNanos;
    return switch (head.chunk.append(t, v)) {
      case ADDED -> Outcome.HELD;
      case DUPLICATE -> Outcome.DUPLICATE;
      case EARLIER_WINDOW -> Outcome.LATE;
      case LATER_WINDOW -> {
        if (!head.chunk.isStored()) {
          retired.add(head.chunk);
        }
        head.chunk = new HeadChunk(head.chunk.seriesId(), head.chunk.labels(), MetricIndexLayout.windowStart(t));
        head.chunk.append(t, v);
        yield Outcome.HELD;
      }
    };
  }

  /** Why the last sample refused was: the active series limit, or a heap nearly full. */
  String lastRefusal() {
    return lastRefusal;
  }

  /** Every head with samples not stored yet, retired ones first. */
  List<HeadChunk> unstored() {
    List<HeadChunk> out = new ArrayList<>(retired);
    for (Head head : heads.values()) {
      if (!head.chunk.isStored()) {
        out.add(head.chunk);
      }
    }
    return out;
  }

  boolean allStored() {
    return retired.isEmpty() && heads.values().stream().allMatch(h -> h.chunk.isStored());
  }

  /** After a write: forgets retired heads that are stored and heads idle too long. */
  void afterWrite(long nowNanos) {
    retired.removeIf(HeadChunk::isStored);
    evictIdle(nowNanos, idleNanos);
  }

  /** Drops every head (their samples are read again from Kafka). */
  void clear() {
    budget.give(heads.size());
    heads.clear();
    retired.clear();
  }

  int size() {
    return heads.size();
  }

  /** Memory held by the chunks of the heads, roughly. */
  long retainedBytes() {
    long bytes = 0;
    for (Head head : heads.values()) {
      bytes += head.chunk.retainedBytes();
    }
    for (HeadChunk chunk : retired) {
      bytes += chunk.retainedBytes();
    }
    return bytes;
  }

  private void evictIdle(long nowNanos, long idle) {
    int dropped = 0;
    for (Iterator<Head> it = heads.values().iterator(); it.hasNext();) {
      Head head = it.next();
      if (head.chunk.isStored() && nowNanos - head.lastAppendNanos >= idle) {
        it.remove();
        dropped++;
      }
    }
    budget.give(dropped);
  }
}
