package io.fleetlens.storage.elasticsearch.metrics;

/**
 * The samples of one series over one compaction window, packed the way Gorilla (Facebook's
 * in-memory time-series store, VLDB 2015) packs them: the first timestamp and value whole, then
 * each timestamp as its delta-of-delta in a variable-width bit field and each value as the XOR of
 * its bits with the previous value's, leaving out the leading and trailing zero bits. A regular
 * scrape costs one bit for its timestamp; a value that did not change, one bit. Values keep their
 * exact bits, so NaN, infinities and stale markers survive.
 *
 * <p>Layout: a 32-bit sample count, a 64-bit first timestamp (ms), the first value's 64 bits, then
 * the bit stream.
 */
public final class SampleChunk {

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
    int n = to - from;
    if (n <= 0) {
      throw new IllegalArgumentException("a chunk holds at least one sample");
    }
    BitWriter out = new BitWriter(16 + n * 2);
    out.write(n, 32);
    out.write(timestamps[from], 64);
    long previousBits = Double.doubleToRawLongBits(values[from]);
    out.write(previousBits, 64);
    long previousTime = timestamps[from];
    long previousDelta = 0;
    int leading = -1;
    int trailing = 0;
    for (int i = from + 1; i < to; i++) {
      long delta = timestamps[i] - previousTime;
      if (delta < 0) {
        throw new IllegalArgumentException("timestamps must be ascending");
      }
      writeDeltaOfDelta(out, delta - previousDelta);
      previousTime = timestamps[i];
      previousDelta = delta;

      long bits = Double.doubleToRawLongBits(values[i]);
      long xor = bits ^ previousBits;
      previousBits = bits;
      if (xor == 0) {
        out.write(0, 1);
        continue;
      }
      out.write(1, 1);
      int lead = Math.min(Long.numberOfLeadingZeros(xor), 31);
      int trail = Long.numberOfTrailingZeros(xor);
      if (leading >= 0 && lead >= leading && trail >= trailing) {
        out.write(0, 1);
        out.write(xor >>> trailing, 64 - leading - trailing);
      } else {
        leading = lead;
        trailing = trail;
        int significant = 64 - lead - trail;
        out.write(1, 1);
        out.write(lead, 5);
        out.write(significant - 1, 6);
        out.write(xor >>> trail, significant);
      }
    }
    return out.toByteArray();
  }

  public static Points decode(byte[] chunk) {
    BitReader in = new BitReader(chunk);
    int n = (int) in.read(32);
    long[] timestamps = new long[n];
    double[] values = new double[n];
    timestamps[0] = in.read(64);
    long bits = in.read(64);
    values[0] = Double.longBitsToDouble(bits);
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
    }
    return new Points(timestamps, values);
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

  private static final class BitWriter {
    private byte[] bytes;
    private long length; // in bits

    BitWriter(int initialBytes) {
      bytes = new byte[Math.max(16, initialBytes)];
    }

    /** Appends the low {@code width} bits of {@code value}, most significant first. */
    void write(long value, int width) {
      for (int remaining = width; remaining > 0;) {
        int index = (int) (length >>> 3);
        if (index >= bytes.length) {
          bytes = java.util.Arrays.copyOf(bytes, bytes.length * 2);
        }
        int free = 8 - (int) (length & 7);
        int take = Math.min(free, remaining);
        int part = (int) ((value >>> (remaining - take)) & ((1 << take) - 1));
        bytes[index] |= (byte) (part << (free - take));
        remaining -= take;
        length += take;
      }
    }

    byte[] toByteArray() {
      return java.util.Arrays.copyOf(bytes, (int) ((length + 7) >>> 3));
    }
  }

  private static final class BitReader {
    private final byte[] bytes;
    private long position;

    BitReader(byte[] bytes) {
      this.bytes = bytes;
    }

    long read(int width) {
      long value = 0;
      for (int remaining = width; remaining > 0;) {
        int index = (int) (position >>> 3);
        if (index >= bytes.length) {
          throw new IllegalArgumentException("chunk ends early");
        }
        int available = 8 - (int) (position & 7);
        int take = Math.min(available, remaining);
        int part = ((bytes[index] & 0xff) >>> (available - take)) & ((1 << take) - 1);
        value = (value << take) | part;
        remaining -= take;
        position += take;
      }
      return value;
    }
  }
}
