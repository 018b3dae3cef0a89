package io.fleetlens.collector.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.HexFormat;
import java.util.zip.CRC32C;

/**
 * A checksum of a file's first bytes (up to {@value #LENGTH}), which tells a file from another that
 * got the same inode after the first was deleted: CRI lines start with a nanosecond timestamp, so
 * two files' first bytes hardly ever agree.
 */
public record Fingerprint(String crc, int length) {

  public static final int LENGTH = 1024;

  public static Fingerprint of(FileChannel channel, int maxLength) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(maxLength, Math.min(LENGTH, channel.size())));
    while (buffer.hasRemaining() && channel.read(buffer, buffer.position()) > 0) {
      // keep reading until the prefix is complete
    }
    CRC32C crc = new CRC32C();
    crc.update(buffer.array(), 0, buffer.position());
    return new Fingerprint(HexFormat.of().toHexDigits((int) crc.getValue()), buffer.position());
  }

  public boolean complete() {
    return length == LENGTH;
  }
}
