package io.fleetlens.promql;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fleetlens.core.metrics.LabelMatcher;
import io.fleetlens.core.metrics.Labels;
import io.fleetlens.core.metrics.SeriesStore;

/** Series held in memory, for the engine's tests. */
public final class MemorySeriesStore implements SeriesStore {

  private final Map<Labels, List<double[]>> series = new LinkedHashMap<>();

  public void add(Labels labels, long timeMs, double value) {
    series.computeIfAbsent(labels, k -> new ArrayList<>()).add(new double[] {timeMs, value});
  }

  public void clear() {
    series.clear();
  }

  @Override
  public List<StoredSeries> select(List<LabelMatcher> matchers, long minTime, long maxTime) {
    List<StoredSeries> out = new ArrayList<>();
    for (Map.Entry<Labels, List<double[]>> e : series.entrySet()) {
      if (!matchers.stream().allMatch(m -> m.matches(e.getKey()))) {
        continue;
      }
      List<double[]> points = new ArrayList<>(e.getValue());
      points.sort((a, b) -> Double.compare(a[0], b[0]));
      long[] ts = new long[points.size()];
      double[] vs = new double[points.size()];
      int n = 0;
      for (double[] p : points) {
        long t = (long) p[0];
        if (t >= minTime && t <= maxTime) {
          ts[n] = t;
          vs[n++] = p[1];
        }
      }
      if (n > 0) {
        out.add(new StoredSeries(e.getKey(), Arrays.copyOf(ts, n), Arrays.copyOf(vs, n)));
      }
    }
    return out;
  }
}
