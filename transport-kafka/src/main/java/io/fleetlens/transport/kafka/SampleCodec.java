package io.fleetlens.transport.kafka;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fleetlens.core.metrics.MetricMetadata;
import io.fleetlens.core.metrics.MetricRecord;
import io.fleetlens.core.metrics.Sample;

/**
 * The value of a record on the metrics topic in UTF-8 JSON, version 1, as described in this
 * module's README: one sample, or a metric's metadata. Values that JSON has no number for are
 * strings: {@code "NaN"}, {@code "+Inf"}, {@code "-Inf"}. Samples are written as version 2 batches
 * now ({@link SampleBatchCodec}, {@link SampleRecords}); version 1 samples are still read.
 */
public final class SampleCodec {

  static final int VERSION = 1;

  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  record Wire(int v, String name, Map<String, String> labels, long t, Object value, Described metadata) {
  }

  record Described(String metric, String type, String help, String unit) {
  }

  /**
   * The key of a sample's record: {@code <cluster>/<series key>} in UTF-8, so that a series' samples
   * keep their order on one partition.
   */
  public static byte[] key(String cluster, Sample sample) {
    return key(cluster, sample.seriesKey());
  }

  /** The key a series' samples had as version 1 records, which picks its partition ({@link SampleRecords}). */
  public static byte[] key(String cluster, io.fleetlens.core.metrics.SeriesSamples series) {
    return key(cluster, series.seriesKey());
  }

  private static byte[] key(String cluster, String seriesKey) {
    return (cluster + "/" + seriesKey).getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  public byte[] encode(Sample sample) {
    try {
      return JSON.writeValueAsBytes(new Wire(VERSION, sample.name(), sample.labels(), sample.timestampMillis(),
          wireValue(sample.value()), null));
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode a sample", e);
    }
  }

  public byte[] encode(MetricMetadata metadata) {
    try {
      return JSON.writeValueAsBytes(Map.of("v", VERSION, "metadata", new Described(metadata.metric(), metadata.type(),
          metadata.help(), metadata.unit())));
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode metadata", e);
    }
  }

  /** The Kafka key of a metadata record: {@code <cluster>/# <metric>}. */
  public static byte[] metadataKey(String cluster, MetricMetadata metadata) {
    return (cluster + "/# " + metadata.metric()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** A sample; a metadata record is malformed here. */
  public Sample decode(byte[] value) throws MalformedRecordException {
    if (decodeRecord(value) instanceof Sample sample) {
      return sample;
    }
    throw new MalformedRecordException("metadata where a sample was expected", null);
  }

  /**
   * Every sample or description a record holds, of either version: what tools and tests read;
   * the aggregator reads batches series by series instead.
   */
  public List<MetricRecord> decodeAll(byte[] value) throws MalformedRecordException {
    if (!SampleBatchCodec.isBatch(value)) {
      return List.of(decodeRecord(value));
    }
    List<MetricRecord> out = new ArrayList<>();
    SampleBatchCodec.Reader reader = new SampleBatchCodec.Reader(value);
    while (reader.next()) {
      out.addAll(reader.series().samples());
    }
    return out;
  }

  /** A sample or a metric's metadata, of version 1. */
  public MetricRecord decodeRecord(byte[] value) throws MalformedRecordException {
    try {
      Wire wire = JSON.readValue(value, Wire.class);
      if (wire.v() == VERSION && wire.metadata() != null && wire.metadata().metric() != null) {
        Described d = wire.metadata();
        return new MetricMetadata(d.metric(), d.type(), d.help(), d.unit());
      }
      if (wire.v() != VERSION || wire.name() == null || wire.value() == null) {
        throw new MalformedRecordException("not a version 1 sample", null);
      }
      return new Sample(wire.name(), new TreeMap<>(wire.labels() == null ? Map.of() : wire.labels()), wire.t(),
          number(wire.value()));
    } catch (IOException | IllegalArgumentException e) {
      throw new MalformedRecordException("not a sample: " + e.getMessage(), e);
    }
  }

  private static Object wireValue(double value) {
    if (io.fleetlens.core.metrics.StaleNaN.is(value)) {
      return "stale";
    }
    if (Double.isNaN(value)) {
      return "NaN";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "+Inf" : "-Inf";
    }
    return value;
  }

  private static double number(Object value) {
    return switch (value) {
      case Number n -> n.doubleValue();
      case String s when s.equals("NaN") -> Double.NaN;
      case String s when s.equals("stale") -> io.fleetlens.core.metrics.StaleNaN.VALUE;
      case String s when s.equals("+Inf") -> Double.POSITIVE_INFINITY;
      case String s when s.equals("-Inf") -> Double.NEGATIVE_INFINITY;
      default -> throw new IllegalArgumentException("not a sample value: " + value);
    };
  }
}
