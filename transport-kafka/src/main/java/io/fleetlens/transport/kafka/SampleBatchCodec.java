package io.fleetlens.transport.kafka;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.fleetlens.core.metrics.Labels;
import io.fleetlens.core.metrics.SeriesSamples;

/**
 * A record on the metrics topic holding samples of many series, version 2, as this module's
 * README describes it: binary, first byte {@code 0x02}; per series its labels block (every label,
 * {@code __name__} included, sorted by name; empty values left out) and its samples (time as a
 * zig-zag varint difference from the previous one, value as the 8 bytes of the IEEE 754 double).
 * Written by {@link #encode}; read series by series with a {@link Reader}, whose label bytes
 * identify a series without decoding it.
 */
public final class SampleBatchCodec {

  private static final int MAX_LABEL_NAMES = 10_000;
  private static final java.util.concurrent.ConcurrentHashMap<String, String> LABEL_NAMES =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** The first byte of a version 2 record; version 1 records are JSON and start with '{'. */
  public static final byte VERSION = 2;

  private SampleBatchCodec() {
  }

  /** Whether a metrics topic record's value is a version 2 sample batch. */
  public static boolean isBatch(byte[] value) {
    return value.length > 0 && value[0] == VERSION;
  }

  /** One record's value holding {@code series}. */
  public static byte[] encode(List<SeriesSamples> series) {
    Builder builder = new Builder();
    for (SeriesSamples s : series) {
      builder.add(s);
    }
    return builder.build();
  }

  /** A batch being written, series by series, that can give up its last series to the next batch. */
  public static final class Builder {
    private final Out body = new Out(4096);
    private final Out labels = new Out(256);
    private int series;
    private int lastStart;

    public void add(SeriesSamples s) {
      lastStart = body.size();
      series++;
      labels.reset();
      labelsBlock(s.name(), s.labels(), labels);
      body.varint(labels.size());
      body.write(labels.buffer(), 0, labels.size());
      long previous = 0;
      body.varint(s.size());
      for (int i = 0; i < s.size(); i++) {
        long t = s.timestamps()[i];
        body.varlong(zigzag(t - previous));
        previous = t;
        body.fixed64(Double.doubleToRawLongBits(s.values()[i]));
      }
    }

    /** Bytes of the value {@link #build()} would give (at most). */
    public int size() {
      return body.size() + 6;
    }

    public int series() {
      return series;
    }

    /** The value holding every series added; the builder is empty afterwards. */
    public byte[] build() {
      byte[] value = value(body.size(), series);
      body.reset();
      series = 0;
      return value;
    }

    /** The value holding every series added but the last, which stays in the builder, alone. */
    public byte[] buildAllButLast() {
      if (series < 2) {
        throw new IllegalStateException("a batch of " + series + " series has nothing to build without its last");
      }
      byte[] value = value(lastStart, series - 1);
      body.cut(lastStart);
      lastStart = 0;
      series = 1;
      return value;
    }

    private byte[] value(int bodyBytes, int count) {
      Out out = new Out(bodyBytes + 6);
      out.write(VERSION);
      out.varint(count);
      out.write(body.buffer(), 0, bodyBytes);
      return out.toByteArray();
    }
  }

  /** The labels block of a series, as a record carries it: how a v1 sample finds its series' key. */
  public static SeriesLabelBytes labelBytes(Labels labels) {
    Out out = new Out(128);
    out.varint(labels.size());
    for (int i = 0; i < labels.size(); i++) {
      out.string(labels.name(i));
      out.string(labels.value(i));
    }
    return SeriesLabelBytes.view(out.buffer(), 0, out.size()).copy();
  }

  private static void labelsBlock(String name, Map<String, String> labels, Out out) {
    // __name__ takes its place among the sorted names ("_" sorts after upper-case letters)
    int count = name.isEmpty() ? 0 : 1;
    for (Map.Entry<String, String> label : labels.entrySet()) {
      if (!label.getValue().isEmpty() && !label.getKey().equals(Labels.METRIC_NAME)) {
        count++;
      }
    }
    out.varint(count);
    boolean named = name.isEmpty();
    for (Map.Entry<String, String> label : labels.entrySet()) {
      if (!named && label.getKey().compareTo(Labels.METRIC_NAME) > 0) {
        out.string(Labels.METRIC_NAME);
        out.string(name);
        named = true;
      }
      if (!label.getValue().isEmpty() && !label.getKey().equals(Labels.METRIC_NAME)) {
        out.string(label.getKey());
        out.string(label.getValue());
      }
    }
    if (!named) {
      out.string(Labels.METRIC_NAME);
      out.string(name);
    }
  }

  private static long zigzag(long n) {
    return (n << 1) ^ (n >> 63);
  }

  /**
   * Reads a batch series by series: {@link #next()} moves to the next series and reads its samples;
   * {@link #labelBytes()} identifies it; {@link #labels()} decodes its labels, checking them.
   */
  public static final class Reader {
    private final byte[] in;
    private int pos;
    private int seriesLeft;
    private int labelsOffset;
    private int labelsLength;
    private int count;
    private long[] timestamps = new long[16];
    private double[] values = new double[16];

    public Reader(byte[] value) throws MalformedRecordException {
      this.in = value;
      if (!isBatch(value)) {
        throw new MalformedRecordException("not a version 2 sample batch", null);
      }
      pos = 1;
      seriesLeft = varint("the number of series");
    }

    /** Moves to the next series; false after the last one. */
    public boolean next() throws MalformedRecordException {
      if (seriesLeft == 0) {
        if (pos != in.length) {
          throw malformed((in.length - pos) + " bytes after the last series");
        }
        return false;
      }
      seriesLeft--;
      labelsLength = varint("the length of a series' labels");
      if (labelsLength > in.length - pos) {
        throw malformed("labels of " + labelsLength + " bytes past the record's end");
      }
      labelsOffset = pos;
      pos += labelsLength;
      count = varint("the number of samples");
      if (count > (in.length - pos) / 9) { // at least a byte of time and eight of value each
        throw malformed(count + " samples past the record's end");
      }
      if (timestamps.length < count) {
        timestamps = new long[count];
        values = new double[count];
      }
      long t = 0;
      for (int i = 0; i < count; i++) {
        long z = varlong();
        t += (z >>> 1) ^ -(z & 1);
        timestamps[i] = t;
        if (in.length - pos < 8) {
          throw malformed("a sample value past the record's end");
        }
        values[i] = Double.longBitsToDouble(fixed64());
      }
      return true;
    }

    /** The current series' labels block, not copied: valid until the record is let go. */
    public SeriesLabelBytes labelBytes() {
      return SeriesLabelBytes.view(in, labelsOffset, labelsLength);
    }

    /** The current series' labels, {@code __name__} included; malformed unless sorted, unique and non-empty. */
    public Labels labels() throws MalformedRecordException {
      int end = labelsOffset + labelsLength;
      int saved = pos;
      pos = labelsOffset;
      try {
        int n = varint("the number of labels");
        TreeMap<String, String> map = new TreeMap<>();
        String previous = null;
        for (int i = 0; i < n; i++) {
          String name = labelName(string(end));
          String value = string(end);
          if (name.isEmpty() || value.isEmpty()) {
            throw malformed("an empty label name or value");
          }
          if (previous != null && previous.compareTo(name) >= 0) {
            throw malformed("labels not sorted by name: " + previous + " before " + name);
          }
          map.put(name, value);
          previous = name;
        }
        if (pos != end) {
          throw malformed("labels block longer than its labels");
        }
        if (!map.containsKey(Labels.METRIC_NAME)) {
          throw malformed("a series without " + Labels.METRIC_NAME + ": " + map);
        }
        return Labels.of(map);
      } finally {
        pos = saved;
      }
    }

    public int samples() {
      return count;
    }

    public long timestamp(int i) {
      return timestamps[i];
    }

    public double value(int i) {
      return values[i];
    }

    /** The current series as {@link SeriesSamples}: for what is rare (late samples, refusals). */
    public SeriesSamples series() throws MalformedRecordException {
      Labels labels = labels();
      TreeMap<String, String> map = new TreeMap<>(labels.toMap());
      map.remove(Labels.METRIC_NAME);
      return new SeriesSamples(labels.metricName(), map, java.util.Arrays.copyOf(timestamps, count),
          java.util.Arrays.copyOf(values, count));
    }

    /**
     * One instance per label name, as JSON decoding had it: every head keeps its series' labels, and
     * the same few names would otherwise be held once per series. Bounded, so odd names cannot grow it.
     */
    private static String labelName(String name) {
      String known = LABEL_NAMES.get(name);
      if (known != null) {
        return known;
      }
      if (LABEL_NAMES.size() < MAX_LABEL_NAMES) {
        known = LABEL_NAMES.putIfAbsent(name, name);
      }
      return known != null ? known : name;
    }

    private String string(int end) throws MalformedRecordException {
      int n = varint("a string's length");
      if (n > end - pos) {
        throw malformed("a label of " + n + " bytes past its block");
      }
      String s = new String(in, pos, n, StandardCharsets.UTF_8);
      pos += n;
      return s;
    }

    private int varint(String what) throws MalformedRecordException {
      long v = varlong();
      if (v < 0 || v > Integer.MAX_VALUE) {
        throw malformed(what + " out of range: " + v);
      }
      return (int) v;
    }

    private long varlong() throws MalformedRecordException {
      long v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= in.length) {
          throw malformed("a number past the record's end");
        }
        byte b = in[pos++];
        v |= (long) (b & 0x7f) << shift;
        if (b >= 0) {
          return v;
        }
      }
      throw malformed("a number longer than ten bytes");
    }

    private long fixed64() {
      long v = 0;
      for (int i = 0; i < 8; i++) {
        v = (v << 8) | (in[pos++] & 0xff);
      }
      return v;
    }

    private MalformedRecordException malformed(String why) {
      return new MalformedRecordException("sample batch: " + why + " (at byte " + pos + ")", null);
    }
  }

  /** A growing byte buffer with the writes this format needs (not synchronized, unlike ByteArrayOutputStream). */
  private static final class Out {
    private byte[] buf;
    private int size;

    Out(int capacity) {
      buf = new byte[capacity];
    }

    byte[] buffer() {
      return buf;
    }

    int size() {
      return size;
    }

    void reset() {
      size = 0;
    }

    /** Drops the first {@code n} bytes. */
    void cut(int n) {
      System.arraycopy(buf, n, buf, 0, size - n);
      size -= n;
    }

    byte[] toByteArray() {
      return java.util.Arrays.copyOf(buf, size);
    }

    private void ensure(int more) {
      if (size + more > buf.length) {
        buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
      }
    }

    void write(int b) {
      ensure(1);
      buf[size++] = (byte) b;
    }

    void write(byte[] b, int off, int len) {
      ensure(len);
      System.arraycopy(b, off, buf, size, len);
      size += len;
    }

    void varint(int v) {
      varlong(v & 0xffffffffL);
    }

    void varlong(long v) {
      ensure(10);
      while ((v & ~0x7fL) != 0) {
        buf[size++] = (byte) ((v & 0x7f) | 0x80);
        v >>>= 7;
      }
      buf[size++] = (byte) v;
    }

    void fixed64(long v) {
      ensure(8);
      for (int shift = 56; shift >= 0; shift -= 8) {
        buf[size++] = (byte) (v >>> shift);
      }
    }

    void string(String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      varint(b.length);
      write(b, 0, b.length);
    }
  }
}
