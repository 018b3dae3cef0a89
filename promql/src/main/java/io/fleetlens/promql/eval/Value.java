package io.fleetlens.promql.eval;

import java.util.List;

import io.fleetlens.core.metrics.Labels;

/** What a PromQL expression evaluates to at one instant, or a range query's whole result. */
public sealed interface Value {

  record Scalar(long timeMs, double value) implements Value {
  }

  record Text(long timeMs, String value) implements Value {
  }

  /** One sample of an instant vector: its series' labels, its value, and its time. */
  record Sample(Labels labels, long timeMs, double value) {
    public Sample withLabels(Labels newLabels) {
      return new Sample(newLabels, timeMs, value);
    }

    public Sample withValue(double newValue) {
      return new Sample(labels, timeMs, newValue);
    }
  }

  record Vector(List<Sample> samples) implements Value {
  }

  /** A series of points, in time order: part of a range vector, or of a range query's result. */
  record Series(Labels labels, long[] times, double[] values) {
    public int size() {
      return times.length;
    }
  }

  record Matrix(List<Series> series) implements Value {
  }
}
