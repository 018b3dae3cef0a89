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

  void addAll(SampleChunk.Points points) {
    for (int i = 0; i < points.size(); i++) {
      add(points.timestamps()[i], points.values()[i]);
    }
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
    Integer[] order = null;
    boolean ascending = true;
    for (int i = 1; i < size && ascending; i++) {
      ascending = timestamps[i - 1] < timestamps[i];
    }
    boolean descending = !ascending;
    for (int i = 1; i < size && descending; i++) {
      descending = timestamps[i - 1] > timestamps[i];
    }
    long[] ts;
    double[] vs;
    if (ascending) {
      ts = Arrays.copyOf(timestamps, size);
      vs = Arrays.copyOf(values, size);
    } else if (descending) { // a time-series index's own order
      ts = new long[size];
      vs = new double[size];
      for (int i = 0; i < size; i++) {
        ts[i] = timestamps[size - 1 - i];
        vs[i] = values[size - 1 - i];
      }
    } else {
      order = new Integer[size];
      for (int i = 0; i < size; i++) {
        order[i] = i;
      }
      Arrays.sort(order, (a, b) -> Long.compare(timestamps[a], timestamps[b])); // stable: first one stays first
      ts = new long[size];
      vs = new double[size];
      int n = 0;
      for (int k = 0; k < size; k++) {
        int i = order[k];
        if (n > 0 && ts[n - 1] == timestamps[i]) {
          continue;
        }
        ts[n] = timestamps[i];
        vs[n] = values[i];
        n++;
      }
      ts = Arrays.copyOf(ts, n);
      vs = Arrays.copyOf(vs, n);
    }
    return new SampleChunk.Points(ts, vs);
  }
}
