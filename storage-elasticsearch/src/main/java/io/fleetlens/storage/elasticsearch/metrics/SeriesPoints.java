package io.fleetlens.storage.elasticsearch.metrics;

import java.util.Arrays;

/**
 * The samples of one series gathered from several places (chunk documents, sample documents) in
 * any order; {@link #sorted()} puts them in time order and keeps the first of samples with the
 * same timestamp, as Prometheus keeps the first of duplicate samples.
 */
final class SeriesPoints {

  private long[] timestamps = new long[16];
  private double[] values = new double[16];
  private int size;

  void add(long t, double v) {
    if (size == timestamps.length) {
      timestamps = Arrays.copyOf(timestamps, size * 2);
      values = Arrays.copyOf(values, size * 2);
    }
    timestamps[size] = t;
    values[size] = v;
    size++;
  }

  /** All of the points, in their order. */
  void addAll(SampleChunk.Points points) {
    addAll(points, Long.MIN_VALUE, Long.MAX_VALUE);
  }

  /** The chunk's samples from {@code minTime} to {@code maxTime}: a chunk's timestamps ascend. */
  void addAll(SampleChunk.Points points, long minTime, long maxTime) {
    long[] ts = points.timestamps();
    int from = 0;
    while (from < ts.length && ts[from] < minTime) {
      from++;
    }
    int to = ts.length;
    while (to > from && ts[to - 1] > maxTime) {
      to--;
    }
    int n = to - from;
    if (size + n > timestamps.length) {
      int capacity = Math.max(size + n, size * 2);
      timestamps = Arrays.copyOf(timestamps, capacity);
      values = Arrays.copyOf(values, capacity);
    }
    System.arraycopy(ts, from, timestamps, size, n);
    System.arraycopy(points.values(), from, values, size, n);
    size += n;
  }

  int size() {
    return size;
  }

  SampleChunk.Points sorted() {
    boolean ascending = true;
    for (int i = 1; i < size && ascending; i++) {
      ascending = timestamps[i - 1] < timestamps[i];
    }
    if (ascending) {
      return new SampleChunk.Points(Arrays.copyOf(timestamps, size), Arrays.copyOf(values, size));
    }
    boolean descending = true;
    for (int i = 1; i < size && descending; i++) {
      descending = timestamps[i - 1] > timestamps[i];
    }
    long[] ts = new long[size];
    double[] vs = new double[size];
    if (descending) { // a time-series index's own order
      for (int i = 0; i < size; i++) {
        ts[i] = timestamps[size - 1 - i];
        vs[i] = values[size - 1 - i];
      }
      return new SampleChunk.Points(ts, vs);
    }
    // ascending runs (each chunk is one)
    int[] runs = new int[16];
    int count = 0;
    for (int i = 0; i < size; i++) {
      if (i == 0 || timestamps[i] <= timestamps[i - 1]) {
        if (count + 1 == runs.length) {
          runs = Arrays.copyOf(runs, runs.length * 2);
        }
        runs[count++] = i;
      }
    }
    runs[count] = size;
    SampleChunk.Points laidEnd = disjoint(runs, count, ts, vs);
    if (laidEnd != null) {
      return laidEnd;
    }
    // overlapping runs merged pairwise, the earlier run first on equal timestamps
    long[] fromT = Arrays.copyOf(timestamps, size);
    double[] fromV = Arrays.copyOf(values, size);
    while (count > 1) {
      int merged = 0;
      for (int r = 0; r < count; r += 2) {
        int lo = runs[r];
        int mid = runs[Math.min(r + 1, count)];
        int hi = runs[Math.min(r + 2, count)];
        int a = lo;
        int b = mid;
        for (int o = lo; o < hi; o++) {
          if (b >= hi || a < mid && fromT[a] <= fromT[b]) {
            ts[o] = fromT[a];
            vs[o] = fromV[a++];
          } else {
            ts[o] = fromT[b];
            vs[o] = fromV[b++];
          }
        }
        runs[merged++] = lo;
      }
      runs[merged] = size;
      count = merged;
      long[] t = fromT;
      fromT = ts;
      ts = t;
      double[] v = fromV;
      fromV = vs;
      vs = v;
    }
    int n = 0; // equal timestamps: the first one stays
    for (int i = 0; i < size; i++) {
      if (n > 0 && fromT[n - 1] == fromT[i]) {
        continue;
      }
      fromT[n] = fromT[i];
      fromV[n++] = fromV[i];
    }
    return new SampleChunk.Points(n == size ? fromT : Arrays.copyOf(fromT, n), n == size ? fromV : Arrays.copyOf(fromV, n));
  }

  /**
   * The runs laid end to end in the order of their first timestamps, when none overlaps the next (a
   * series' chunks of different windows, come in any order): one copy, no merging. Null when some do.
   */
  private SampleChunk.Points disjoint(int[] runs, int count, long[] ts, double[] vs) {
    Integer[] order = new Integer[count];
    for (int r = 0; r < count; r++) {
      order[r] = r;
    }
    Arrays.sort(order, (a, b) -> Long.compare(timestamps[runs[a]], timestamps[runs[b]]));
    int at = 0;
    long last = Long.MIN_VALUE;
    for (int k = 0; k < count; k++) {
      int r = order[k];
      int from = runs[r];
      int n = runs[r + 1] - from;
      if (k > 0 && timestamps[from] <= last) {
        return null;
      }
      System.arraycopy(timestamps, from, ts, at, n);
      System.arraycopy(values, from, vs, at, n);
      at += n;
      last = timestamps[from + n - 1];
    }
    return new SampleChunk.Points(ts, vs);
  }
}
