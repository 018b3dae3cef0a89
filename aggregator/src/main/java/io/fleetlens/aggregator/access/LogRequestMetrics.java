package io.fleetlens.aggregator.access;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.fleetlens.core.logs.LogRecord;
import io.fleetlens.core.metrics.Sample;
import io.fleetlens.core.pods.Workload;

/**
 * Request metrics made from access-log lines, so a workload with no metrics of its own still has
 * traffic, errors and latency: per cluster, namespace and workload, a counter of requests by status
 * code and a histogram of durations (for lines that tell one), with Prometheus' default buckets.
 *
 * <p>Lines are counted by the time they carry, in {@value #SLOT_MS} ms slots, and each series'
 * cumulative value at a slot's end is emitted, stamped with that end, as a scrape at that instant
 * would have seen it, once the slot is over: once lines {@value #GRACE_MS} ms past its end have
 * been counted, or, when no line came for {@value #IDLE_MS} ms, once the clock is that far past
 * it. So a backlog read late still gives the rates it happened at, and an idle workload's counters
 * go on at a rate of zero. A line for a slot already emitted counts in the next one.
 *
 * <p>Only lines stored for the first time are counted, so a replayed line is not counted twice.
 * Each aggregator process counts the partitions it holds and labels its series with its own
 * {@code instance}; another process taking a partition over starts its own series, which
 * {@code rate()} and {@code sum} join as they join the instances of any scraped counter.
 */
public final class LogRequestMetrics {

  public static final String REQUESTS = "fleetlens_log_http_requests_total";
  public static final String DURATION = "fleetlens_log_http_request_duration_seconds";
  static final long SLOT_MS = 15_000;
  static final long GRACE_MS = 5_000;
  static final long IDLE_MS = 30_000;
  static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  private static final long FORGET_AFTER_MS = 3_600_000;
  private static final long MAX_CATCH_UP_MS = 3_600_000;
  private static final int MAX_WORKLOADS = 20_000;

  private final String instance;
  private final Map<Key, Series> series = new HashMap<>();

  public LogRequestMetrics(String instance) {
    this.instance = instance;
  }

  private record Key(String cluster, String namespace, String workloadKind, String workload) {
  }

  /** Requests counted: per status, and the durations of those that tell one. */
  private static final class Counts {
    final Map<Integer, Long> byStatus = new TreeMap<>();
    final long[] buckets = new long[BUCKETS.length + 1];
    double sum;
    long timed;

    void add(Counts other) {
      other.byStatus.forEach((status, n) -> byStatus.merge(status, n, Long::sum));
      for (int b = 0; b < buckets.length; b++) {
        buckets[b] += other.buckets[b];
      }
      sum += other.sum;
      timed += other.timed;
    }
  }

  private static final class Series {
    final Counts total = new Counts();
    final TreeMap<Long, Counts> pending = new TreeMap<>(); // by slot end
    long emittedUpTo = Long.MIN_VALUE;
    long lastCounted;
    long newestLine = Long.MIN_VALUE;
  }

  /** Counts the line if it records a request; returns whether it did. */
  public boolean observe(LogRecord record, long nowMs) {
    AccessLog request = AccessLog.parse(record.message(), record.fields());
    if (request == null) {
      return false;
    }
    Workload workload = record.pod() != null && record.pod().workload() != null ? record.pod().workload()
        : new Workload("Pod", record.container().pod());
    Key key = new Key(record.cluster(), record.container().namespace(), workload.kind(), workload.name());
    synchronized (this) {
      Series s = series.get(key);
      if (s == null) {
        if (series.size() >= MAX_WORKLOADS) {
          return false;
        }
        s = new Series();
        series.put(key, s);
      }
      long t = Math.min(record.timestamp().toEpochMilli(), nowMs);
      s.newestLine = Math.max(s.newestLine, t);
      long slotEnd = Math.max(slotEnd(t), s.emittedUpTo + SLOT_MS);
      Counts c = s.pending.computeIfAbsent(slotEnd, k -> new Counts());
      c.byStatus.merge(request.status(), 1L, Long::sum);
      if (request.seconds().isPresent()) {
        double seconds = request.seconds().getAsDouble();
        int b = 0;
        while (b < BUCKETS.length && seconds > BUCKETS[b]) {
          b++;
        }
        c.buckets[b]++;
        c.sum += seconds;
        c.timed++;
      }
      s.lastCounted = nowMs;
    }
    return true;
  }

  /** The series' values at the end of every slot that is over and not emitted yet. */
  public synchronized List<Sample> flush(long nowMs) {
    long closedByClock = slotEnd(nowMs - GRACE_MS) - SLOT_MS;
    List<Sample> out = new ArrayList<>();
    for (Iterator<Map.Entry<Key, Series>> it = series.entrySet().iterator(); it.hasNext();) {
      Map.Entry<Key, Series> e = it.next();
      Series s = e.getValue();
      if (s.pending.isEmpty() && (nowMs - s.lastCounted > FORGET_AFTER_MS || s.emittedUpTo == Long.MIN_VALUE)) {
        it.remove();
        continue;
      }
      long closed = nowMs - s.lastCounted > IDLE_MS ? closedByClock
          : Math.min(closedByClock, slotEnd(s.newestLine - GRACE_MS) - SLOT_MS);
      long first = s.emittedUpTo == Long.MIN_VALUE ? s.pending.firstKey() : s.emittedUpTo + SLOT_MS;
      long from = Math.max(first, closed - MAX_CATCH_UP_MS);
      Map<Long, Counts> older = s.pending.headMap(from, false); // beyond the catch-up limit: folded in
      older.values().forEach(s.total::add);
      older.clear();
      for (long end = from; end <= closed; end += SLOT_MS) {
        Counts slot = s.pending.remove(end);
        if (slot != null) {
          s.total.add(slot);
        }
        emit(e.getKey(), s.total, end, out);
        s.emittedUpTo = end;
      }
    }
    return out;
  }

  private void emit(Key key, Counts c, long t, List<Sample> out) {
    if (c.byStatus.isEmpty()) {
      return;
    }
    Map<String, String> base = new TreeMap<>(Map.of("cluster", key.cluster(), "namespace", key.namespace(),
        "workload_kind", key.workloadKind(), "workload", key.workload(), "instance", instance,
        "job", "fleetlens-access-logs"));
    c.byStatus.forEach((status, n) -> out.add(sample(REQUESTS, base, "code", Integer.toString(status), t, n)));
    if (c.timed > 0) {
      long cumulative = 0;
      for (int b = 0; b <= BUCKETS.length; b++) {
        cumulative += c.buckets[b];
        String le = b < BUCKETS.length ? format(BUCKETS[b]) : "+Inf";
        out.add(sample(DURATION + "_bucket", base, "le", le, t, cumulative));
      }
      out.add(sample(DURATION + "_sum", base, null, null, t, c.sum));
      out.add(sample(DURATION + "_count", base, null, null, t, c.timed));
    }
  }

  private static long slotEnd(long timeMs) {
    return Math.floorDiv(timeMs, SLOT_MS) * SLOT_MS + SLOT_MS;
  }

  private static Sample sample(String name, Map<String, String> base, String label, String value, long t, double v) {
    TreeMap<String, String> labels = new TreeMap<>(base);
    if (label != null) {
      labels.put(label, value);
    }
    return new Sample(name, labels, t, v);
  }

  private static String format(double bound) {
    return bound == Math.rint(bound) ? Long.toString((long) bound) : Double.toString(bound);
  }
}
