package io.fleetlens.promql.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.fleetlens.core.metrics.Labels;
import io.fleetlens.promql.eval.Value.Sample;
import io.fleetlens.promql.eval.Value.Vector;

/**
 * An instant vector at each step of a range query, held as columns: per step, which series have a
 * value (their index into {@link #labels}, in series order) and the values. Twelve bytes a sample
 * where a {@link Sample} in a list costs some forty, and an aggregation reads a series' group by
 * its index instead of hashing its labels at every step ({@link SteppedAggregation}).
 */
final class StepColumns {

  private final long start;
  private final long step;
  private final Labels[] labels;
  private final int[][] series;
  private final double[][] values;
  private final int[] sizes;
  private final Vector[] vectors;

  private StepColumns(long start, long step, Labels[] labels, int[][] series, double[][] values, int[] sizes) {
    this.start = start;
    this.step = step;
    this.labels = labels;
    this.series = series;
    this.values = values;
    this.sizes = sizes;
    this.vectors = new Vector[sizes.length];
  }

  int steps() {
    return sizes.length;
  }

  /** How many series have a value at step {@code k}. */
  int size(int k) {
    return sizes[k];
  }

  /** The index into {@link #labels()} of the {@code i}th sample of step {@code k}. */
  int series(int k, int i) {
    return series[k][i];
  }

  double value(int k, int i) {
    return values[k][i];
  }

  Labels[] labels() {
    return labels;
  }

  /** Step {@code k} as a vector (made once, when first asked for). */
  Vector vector(int k) {
    Vector v = vectors[k];
    if (v == null) {
      long t = start + k * step;
      List<Sample> samples = new ArrayList<>(sizes[k]);
      for (int i = 0; i < sizes[k]; i++) {
        samples.add(new Sample(labels[series[k][i]], t, values[k][i]));
      }
      v = new Vector(samples);
      vectors[k] = v;
    }
    return v;
  }

  /** Gathers the samples series by series: each series' samples in step order, the series in the order of {@link #next}. */
  static final class Builder {
    private final long start;
    private final long step;
    private final List<Labels> labels = new ArrayList<>();
    private final int[][] series;
    private final double[][] values;
    private final int[] sizes;
    /** A step's arrays when first made: room for every series, if that is not a million samples over all steps. */
    private final int firstCapacity;

    Builder(long start, long step, int steps, int seriesCount) {
      this.start = start;
      this.step = step;
      series = new int[steps][];
      values = new double[steps][];
      sizes = new int[steps];
      firstCapacity = Math.max(8, Math.min(seriesCount, 1_000_000 / Math.max(1, steps)));
    }

    /** Starts the next series; its samples follow by {@link #add}. */
    void next(Labels seriesLabels) {
      labels.add(seriesLabels);
    }

    /** A sample of the current series at step {@code k}. */
    void add(int k, double value) {
      int n = sizes[k];
      if (series[k] == null) {
        series[k] = new int[firstCapacity];
        values[k] = new double[firstCapacity];
      } else if (n == series[k].length) {
        series[k] = Arrays.copyOf(series[k], n * 2);
        values[k] = Arrays.copyOf(values[k], n * 2);
      }
      series[k][n] = labels.size() - 1;
      values[k][n] = value;
      sizes[k] = n + 1;
    }

    StepColumns build() {
      return new StepColumns(start, step, labels.toArray(Labels[]::new), series, values, sizes);
    }
  }
}
