package io.fleetlens.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.google.protobuf.CodedOutputStream;

import io.airlift.compress.snappy.SnappyCompressor;
import io.fleetlens.core.metrics.Sample;

/** Prometheus remote_write 1.0 request bodies, as a sender makes them: protobuf, snappy-compressed. */
public final class RemoteWriteBodies {

  private RemoteWriteBodies() {
  }

  public static byte[] of(List<Sample> samples) {
    try {
      Map<String, List<Sample>> bySeries = new LinkedHashMap<>();
      samples.forEach(s -> bySeries.computeIfAbsent(s.seriesKey(), k -> new java.util.ArrayList<>()).add(s));
      ByteArrayOutputStream request = new ByteArrayOutputStream();
      CodedOutputStream r = CodedOutputStream.newInstance(request);
      for (List<Sample> series : bySeries.values()) {
        r.writeByteArray(1, timeSeries(series));
      }
      r.flush();
      byte[] proto = request.toByteArray();
      SnappyCompressor snappy = new SnappyCompressor();
      byte[] out = new byte[snappy.maxCompressedLength(proto.length)];
      int n = snappy.compress(proto, 0, proto.length, out, 0, out.length);
      return Arrays.copyOf(out, n);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] timeSeries(List<Sample> series) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream s = CodedOutputStream.newInstance(bytes);
    Map<String, String> labels = new TreeMap<>(series.get(0).labels());
    labels.put("__name__", series.get(0).name());
    for (Map.Entry<String, String> label : labels.entrySet()) {
      ByteArrayOutputStream l = new ByteArrayOutputStream();
      CodedOutputStream lo = CodedOutputStream.newInstance(l);
      lo.writeString(1, label.getKey());
      lo.writeString(2, label.getValue());
      lo.flush();
      s.writeByteArray(1, l.toByteArray());
    }
    for (Sample sample : series) {
      ByteArrayOutputStream p = new ByteArrayOutputStream();
      CodedOutputStream po = CodedOutputStream.newInstance(p);
      po.writeDouble(1, sample.value());
      po.writeInt64(2, sample.timestampMillis());
      po.flush();
      s.writeByteArray(2, p.toByteArray());
    }
    s.flush();
    return bytes.toByteArray();
  }
}
