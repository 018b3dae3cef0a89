package io.fleetlens.aggregator.remotewrite;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;

import io.airlift.compress.snappy.SnappyDecompressor;
import io.fleetlens.core.metrics.MetricMetadata;
import io.fleetlens.core.metrics.Sample;
import io.fleetlens.core.metrics.SeriesSamples;

/**
 * A Prometheus remote_write 1.0 request body: a snappy block-compressed protobuf
 * {@code prometheus.WriteRequest}. Read with protobuf's wire-format reader, field by field:
 * {@code WriteRequest.timeseries = 1}; {@code TimeSeries.labels = 1, samples = 2};
 * {@code Label.name = 1, value = 2}; {@code Sample.value = 1 (double), timestamp = 2 (int64 ms)};
 * {@code WriteRequest.metadata = 3}: {@code MetricMetadata.type = 1 (enum), metric_family_name = 2,
 * help = 4, unit = 5}. Exemplars and native histograms are skipped.
 */
public final class RemoteWriteRequest {

  /** The body is not a remote_write request; the sender must not retry it. */
  public static final class InvalidException extends Exception {
    public InvalidException(String message) {
      super(message);
    }
  }

  private static final int MAX_UNCOMPRESSED = 256 * 1024 * 1024;

  private RemoteWriteRequest() {
  }

  /** What a request carries: series with their samples, and descriptions of metrics. */
  public record Decoded(List<SeriesSamples> series, List<MetricMetadata> metadata) {

    public int sampleCount() {
      return series.stream().mapToInt(SeriesSamples::size).sum();
    }

    /** One {@link Sample} per value, series after series. */
    public List<Sample> samples() {
      return series.stream().flatMap(s -> s.samples().stream()).toList();
    }
  }

  // MetricMetadata.MetricType, by number
  private static final List<String> TYPES = List.of("unknown", "counter", "gauge", "histogram", "gaugehistogram",
      "summary", "info", "stateset");

  /** The samples of the request, each series' labels as sent (the {@code __name__} label becomes the name). */
  public static Decoded decode(byte[] body) throws InvalidException {
    byte[] proto = uncompress(body);
    List<SeriesSamples> series = new ArrayList<>();
    List<MetricMetadata> metadata = new ArrayList<>();
    try {
      CodedInputStream in = CodedInputStream.newInstance(proto);
      while (!in.isAtEnd()) {
        int tag = in.readTag();
        boolean delimited = WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED;
        if (WireFormat.getTagFieldNumber(tag) == 1 && delimited) {
          int limit = in.pushLimit(in.readRawVarint32());
          timeSeries(in, series);
          in.popLimit(limit);
        } else if (WireFormat.getTagFieldNumber(tag) == 3 && delimited) {
          metadata(in.readByteArray(), metadata);
        } else {
          in.skipField(tag);
        }
      }
    } catch (IOException e) {
      throw new InvalidException("not a remote write request: " + e.getMessage());
    }
    return new Decoded(series, metadata);
  }

  private static void metadata(byte[] bytes, List<MetricMetadata> into) throws IOException, InvalidException {
    CodedInputStream in = CodedInputStream.newInstance(bytes);
    int type = 0;
    String name = "";
    String help = "";
    String unit = "";
    while (!in.isAtEnd()) {
      int tag = in.readTag();
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> type = in.readEnum();
        case 2 -> name = in.readStringRequireUtf8();
        case 4 -> help = in.readStringRequireUtf8();
        case 5 -> unit = in.readStringRequireUtf8();
        default -> in.skipField(tag);
      }
    }
    if (name.isEmpty()) {
      throw new InvalidException("metric metadata without a metric family name");
    }
    into.add(new MetricMetadata(name, type >= 0 && type < TYPES.size() ? TYPES.get(type) : "unknown", help, unit));
  }

  private static byte[] uncompress(byte[] body) throws InvalidException {
    if (body.length == 0) {
      throw new InvalidException("empty body");
    }
    try {
      int length = SnappyDecompressor.getUncompressedLength(body, 0);
      if (length < 0 || length > MAX_UNCOMPRESSED) {
        throw new InvalidException("snappy: uncompressed length " + length + " out of bounds");
      }
      byte[] out = new byte[length];
      int n = new SnappyDecompressor().decompress(body, 0, body.length, out, 0, length);
      if (n != length) {
        throw new InvalidException("snappy: body is truncated");
      }
      return out;
    } catch (RuntimeException e) {
      throw new InvalidException("snappy: body is not snappy block-compressed (" + e.getMessage() + ")");
    }
  }

  private static void timeSeries(CodedInputStream in, List<SeriesSamples> into) throws IOException, InvalidException {
    TreeMap<String, String> labels = new TreeMap<>();
    long[] timestamps = new long[1];
    double[] values = new double[1];
    int n = 0;
    while (!in.isAtEnd()) {
      int tag = in.readTag();
      int field = WireFormat.getTagFieldNumber(tag);
      if (field == 1 && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
        label(in, labels);
      } else if (field == 2 && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
        if (n == timestamps.length) {
          timestamps = Arrays.copyOf(timestamps, n * 2);
          values = Arrays.copyOf(values, n * 2);
        }
        int limit = in.pushLimit(in.readRawVarint32());
        double value = 0;
        long timestamp = 0;
        while (!in.isAtEnd()) {
          int t = in.readTag();
          switch (WireFormat.getTagFieldNumber(t)) {
            case 1 -> value = in.readDouble();
            case 2 -> timestamp = in.readInt64();
            default -> in.skipField(t);
          }
        }
        in.popLimit(limit);
        timestamps[n] = timestamp;
        values[n++] = value;
      } else {
        in.skipField(tag);
      }
    }
    String name = labels.remove("__name__");
    if (name == null || name.isEmpty()) {
      throw new InvalidException("a series without a __name__ label: " + labels);
    }
    if (n > 0) {
      into.add(new SeriesSamples(name, Collections.unmodifiableSortedMap(labels), Arrays.copyOf(timestamps, n),
          Arrays.copyOf(values, n)));
    }
  }

  private static void label(CodedInputStream in, Map<String, String> labels) throws IOException, InvalidException {
    int limit = in.pushLimit(in.readRawVarint32());
    String name = "";
    String value = "";
    while (!in.isAtEnd()) {
      int tag = in.readTag();
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> name = in.readStringRequireUtf8();
        case 2 -> value = in.readStringRequireUtf8();
        default -> in.skipField(tag);
      }
    }
    in.popLimit(limit);
    if (name.isEmpty()) {
      throw new InvalidException("a label without a name");
    }
    if (!value.isEmpty()) {
      labels.put(name, value);
    }
  }
}
