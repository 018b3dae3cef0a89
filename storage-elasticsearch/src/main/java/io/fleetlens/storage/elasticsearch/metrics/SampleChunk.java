package io.fleetlens.storage.elasticsearch.metrics;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The samples of one series over one compaction window, packed the way Gorilla (Facebook's
 * in-memory time-series store, VLDB 2015) packs them: the first timestamp and value whole, then
 * each timestamp as its delta-of-delta in a variable-width bit field and each value as the XOR of
 * its bits with the previous value's, leaving out the leading and trailing zero bits. A regular
 * scrape costs one bit for its timestamp; a value that did not change, one bit. Values keep their
 * exact bits, so NaN, infinities and stale markers survive.
 *
 * <p>Layout: a 32-bit sample count, a 64-bit first timestamp (ms), the first value's 64 bits, then
 * the bit stream, most significant bit first. An {@link Appender} adds samples to a chunk one at a
 * time, as the aggregator's head of a series does; {@link #encode} packs arrays at once.
 */
public final class SampleChunk {

  private static final int HEADER_BYTES = 20;

  private SampleChunk() {
  }

  /** Decoded samples, oldest first. */
  public record Points(long[] timestamps, double[] values) {
    public int size() {
      return timestamps.length;
    }
  }

  /** Packs {@code timestamps[from..to)} and their values; timestamps must be ascending. */
  public static byte[] encode(long[] timestamps, double[] values, int from, int to) {
    if (to - from <= 0) {
      throw new IllegalArgumentException("a chunk holds at least one sample");
    }
    Appender out = new Appender();
    for (int i = from; i < to; i++) {
      if (i > from && timestamps[i] < timestamps[i - 1]) {
        throw new IllegalArgumentException("timestamps must be ascending");
      }
      out.append(timestamps[i], values[i]);
    }
    return out.toBytes();
  }

  public static Points decode(byte[] chunk) {
    if (chunk.length < HEADER_BYTES) {
      throw new IllegalArgumentException("chunk ends early");
    }
    ByteBuffer header = ByteBuffer.wrap(chunk);
    int n = header.getInt();
    long limit = (chunk.length - HEADER_BYTES) * 8L;
    if (n <= 0 || n - 1 > limit / 2) {
      throw new IllegalArgumentException("chunk ends early: " + n + " samples in " + chunk.length + " bytes");
    }
    long[] timestamps = new long[n];
    double[] values = new double[n];
    timestamps[0] = header.getLong();
    long bits = header.getLong();
    values[0] = Double.longBitsToDouble(bits);
    BitReader in = new BitReader(chunk, HEADER_BYTES);
    long delta = 0;
    int leading = 0;
    int trailing = 0;
    for (int i = 1; i < n; i++) {
      delta += readDeltaOfDelta(in);
      timestamps[i] = timestamps[i - 1] + delta;
      if (in.read(1) != 0) {
        if (in.read(1) != 0) {
          leading = (int) in.read(5);
          int significant = (int) in.read(6) + 1;
          trailing = 64 - leading - significant;
        }
        bits ^= in.read(64 - leading - trailing) << trailing;
      }
      values[i] = Double.longBitsToDouble(bits);
      if (in.position > limit) {
        throw new IllegalArgumentException("chunk ends early: sample " + i + " of " + n);
      }
    }
    return new Points(timestamps, values);
  }

  /**
   * A chunk that grows one sample at a time; {@link #toBytes()} is the chunk so far. Timestamps
   * must not go back (the caller decides what an older sample is).
   */
  public static final class Appender {
    private final BitWriter stream = new BitWriter();
    private int count;
    private long firstTime;
    private long firstBits;
    private long previousTime;
    private long previousDelta;
    private long previousBits;
    private int leading = -1;
    private int trailing;

    public void append(long t, double v) {
      long bits = Double.doubleToRawLongBits(v);
      if (count++ == 0) {
        firstTime = previousTime = t;
        firstBits = previousBits = bits;
        return;
      }
      long delta = t - previousTime;
      writeDeltaOfDelta(stream, delta - previousDelta);
      previousTime = t;
      previousDelta = delta;
      long xor = bits ^ previousBits;
      previousBits = bits;
      if (xor == 0) {
        stream.write(0, 1);
        return;
      }
      int lead = Math.min(Long.numberOfLeadingZeros(xor), 31);
      int trail = Long.numberOfTrailingZeros(xor);
      if (leading >= 0 && lead >= leading && trail >= trailing) {
        stream.write(0b10, 2);
        stream.write(xor >>> trailing, 64 - leading - trailing);
      } else {
        leading = lead;
        trailing = trail;
        int significant = 64 - lead - trail;
        stream.write(0b11, 2);
        stream.write(lead, 5);
        stream.write(significant - 1, 6);
        stream.write(xor >>> trail, significant);
      }
    }

    public int size() {
      return count;
    }

    /** The newest sample's timestamp; only when {@link #size()} is not 0. */
    public long lastTimestamp() {
      return previousTime;
    }

    public long firstTimestamp() {
      return firstTime;
    }

    /** Bytes held, for memory accounting. */
    public long retainedBytes() {
      return stream.capacityBytes() + 64;
    }

    public byte[] toBytes() {
      if (count == 0) {
        throw new IllegalStateException("a chunk holds at least one sample");
      }
      int streamBytes = (int) ((stream.length + 7) >>> 3);
      ByteBuffer out = ByteBuffer.allocate(HEADER_BYTES + streamBytes);
      out.putInt(count).putLong(firstTime).putLong(firstBits);
      stream.copyTo(out, streamBytes);
      return out.array();
    }
  }

  // prefix 0: zero; 10: 14 bits; 110: 17 bits; 1110: 20 bits; 1111: 64 bits (two's complement)
  private static final int[] WIDTHS = {14, 17, 20};

  private static void writeDeltaOfDelta(BitWriter out, long dod) {
    if (dod == 0) {
      out.write(0, 1);
      return;
    }
    for (int k = 0; k < WIDTHS.length; k++) {
      long bound = 1L << (WIDTHS[k] - 1);
      if (dod >= -bound && dod < bound) {
        out.write((1L << (k + 2)) - 2, k + 2);
        out.write(dod, WIDTHS[k]);
        return;
      }
    }
    out.write(0b1111, 4);
    out.write(dod, 64);
  }

  private static long readDeltaOfDelta(BitReader in) {
    int prefix = 0;
    while (prefix < 4 && in.read(1) != 0) {
      prefix++;
    }
    if (prefix == 0) {
      return 0;
    }
    if (prefix == 4) {
      return in.read(64);
    }
    int width = WIDTHS[prefix - 1];
    long raw = in.read(width);
    return (raw << (64 - width)) >> (64 - width);
  }

  /** Bits in 64-bit words, most significant first. */
  private static final class BitWriter {
    private long[] words = new long[2];
    private long length; // in bits

    /** Appends the low {@code width} bits (1 to 64) of {@code value}. */
    void write(long value, int width) {
      long v = width == 64 ? value : value & ((1L << width) - 1);
      int index = (int) (length >>> 6);
      if (index + 1 >= words.length) {
        words = Arrays.copyOf(words, words.length * 2);
      }
      int free = 64 - (int) (length & 63);
      if (width <= free) {
        words[index] |= v << (free - width);
      } else {
        int rest = width - free;
        words[index] |= v >>> rest;
        words[index + 1] |= v << (64 - rest);
      }
      length += width;
    }

    long capacityBytes() {
      return words.length * 8L + 16;
    }

    void copyTo(ByteBuffer out, int bytes) {
      int whole = bytes >>> 3;
      for (int i = 0; i < whole; i++) {
        out.putLong(words[i]);
      }
      long last = whole < words.length ? words[whole] : 0;
      for (int b = 0; b < (bytes & 7); b++) {
        out.put((byte) (last >>> (56 - 8 * b)));
      }
    }
  }

  private static final class BitReader {
    private final long[] words;
    private long position;

    BitReader(byte[] bytes, int offset) {
      int n = bytes.length - offset;
      words = new long[(n + 7) / 8 + 1];
      ByteBuffer in = ByteBuffer.wrap(bytes, offset, n);
      int i = 0;
      while (in.remaining() >= 8) {
        words[i++] = in.getLong();
      }
      long tail = 0;
      int shift = 56;
      while (in.hasRemaining()) {
        tail |= (in.get() & 0xffL) << shift;
        shift -= 8;
      }
      words[i] = tail;
    }

    /** The next {@code width} bits (1 to 64); past the end, zeros (the caller checks the position). */
    long read(int width) {
      int index = (int) (position >>> 6);
      int used = (int) (position & 63);
      int available = 64 - used;
      position += width;
      if (index + 1 >= words.length) {
        if (index >= words.length) {
          return 0;
        }
        return (words[index] << used) >>> (64 - width);
      }
      if (width <= available) {
        return (words[index] << used) >>> (64 - width);
      }
      int rest = width - available;
      return ((words[index] << used) >>> (64 - width)) | (words[index + 1] >>> (64 - rest));
    }
  }
}
