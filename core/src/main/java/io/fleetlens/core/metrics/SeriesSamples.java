package io.fleetlens.core.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;

/**
 * Samples of one time series in the order they came: the metric name, the labels (sorted by name,
 * without {@code __name__}), and each sample's time in milliseconds since the epoch and value.
 * What a remote_write time series or one series of a scrape carries, held without a
 * {@link Sample} per value.
 */
public record SeriesSamples(String name, SortedMap<String, String> labels, long[] timestamps, double[] values) {

  public SeriesSamples {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(labels, "labels");
    if (timestamps.length != values.length) {
      throw new IllegalArgumentException(timestamps.length + " timestamps for " + values.length + " values");
    }
  }

  public int size() {
    return timestamps.length;
  }

  /** The series of {@code samples}, consecutive samples of one series (same name and labels) together. */
  public static List<SeriesSamples> of(List<Sample> samples) {
    List<SeriesSamples> out = new ArrayList<>();
    int from = 0;
    for (int i = 1; i <= samples.size(); i++) {
      if (i == samples.size() || !sameSeries(samples.get(i - 1), samples.get(i))) {
        Sample first = samples.get(from);
        long[] t = new long[i - from];
        double[] v = new double[i - from];
        for (int j = from; j < i; j++) {
          t[j - from] = samples.get(j).timestampMillis();
          v[j - from] = samples.get(j).value();
        }
        out.add(new SeriesSamples(first.name(), first.labels(), t, v));
        from = i;
      }
    }
    return out;
  }

  private static boolean sameSeries(Sample a, Sample b) {
    return a.name().equals(b.name()) && (a.labels() == b.labels() || a.labels().equals(b.labels()));
  }

  /** One {@link Sample} per value. */
  public List<Sample> samples() {
    List<Sample> out = new ArrayList<>(timestamps.length);
    for (int i = 0; i < timestamps.length; i++) {
      out.add(new Sample(name, labels, timestamps[i], values[i]));
    }
    return out;
  }

  /** The series as {@code name{a="1",b="2"}}, as {@link Sample#seriesKey()} has it. */
  public String seriesKey() {
    return Sample.seriesKey(name, labels);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SeriesSamples s && name.equals(s.name) && labels.equals(s.labels)
        && Arrays.equals(timestamps, s.timestamps) && Arrays.equals(values, s.values);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, labels, Arrays.hashCode(timestamps), Arrays.hashCode(values));
  }

  @Override
  public String toString() {
    return seriesKey() + " " + Arrays.toString(timestamps) + " " + Arrays.toString(values);
  }
}
