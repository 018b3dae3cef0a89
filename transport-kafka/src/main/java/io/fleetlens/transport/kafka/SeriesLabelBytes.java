package io.fleetlens.transport.kafka;

import java.util.Arrays;

/**
 * The labels block of a series in a version 2 sample batch, as bytes: what identifies the series
 * without decoding it. A view into a record's value serves as a key to look up; {@link #copy()}
 * is what a map keeps. Equal when the bytes are.
 */
public final class SeriesLabelBytes {

  private final byte[] bytes;
  private final int offset;
  private final int length;
  private final int hash;

  private SeriesLabelBytes(byte[] bytes, int offset, int length) {
    this.bytes = bytes;
    this.offset = offset;
    this.length = length;
    int h = 1;
    for (int i = offset; i < offset + length; i++) {
      h = 31 * h + bytes[i];
    }
    this.hash = h;
  }

  /** {@code length} bytes of {@code bytes} from {@code offset}, not copied. */
  public static SeriesLabelBytes view(byte[] bytes, int offset, int length) {
    return new SeriesLabelBytes(bytes, offset, length);
  }

  /** These bytes in an array of their own, for a key that outlives the record. */
  public SeriesLabelBytes copy() {
    return offset == 0 && length == bytes.length ? this
        : new SeriesLabelBytes(Arrays.copyOfRange(bytes, offset, offset + length), 0, length);
  }

  public int length() {
    return length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SeriesLabelBytes other && other.hash == hash
        && Arrays.equals(bytes, offset, offset + length, other.bytes, other.offset, other.offset + other.length);
  }

  @Override
  public int hashCode() {
    return hash;
  }
}
