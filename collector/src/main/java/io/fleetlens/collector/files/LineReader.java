package io.fleetlens.collector.files;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads complete lines from a growing file, from a given offset on. A line still being written (no
 * newline yet) is left for the next read. A line longer than the limit keeps its first
 * {@code maxLineBytes} bytes and is marked truncated; the rest is skipped, so memory stays bounded.
 */
public final class LineReader implements AutoCloseable {

  private static final int CHUNK = 64 * 1024;

  private final FileChannel channel;
  private final int maxLineBytes;
  private final ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
  private final ByteArrayOutputStream current = new ByteArrayOutputStream();
  private long position;
  private long lineStart;
  private boolean overflow;

  public LineReader(Path file, long offset, int maxLineBytes) throws IOException {
    this.channel = FileChannel.open(file, StandardOpenOption.READ);
    this.maxLineBytes = maxLineBytes;
    this.position = offset;
    this.lineStart = offset;
  }

  /** Reads what the file holds now, returning at most {@code maxLines} complete lines. */
  public List<Line> read(int maxLines) throws IOException {
    List<Line> lines = new ArrayList<>();
    while (lines.size() < maxLines) {
      chunk.clear();
      int n = channel.read(chunk, position);
      if (n <= 0) {
        break;
      }
      int consumed = scan(chunk.array(), n, lines, maxLines);
      position += consumed;
    }
    return lines;
  }

  /** Offset of the first byte not yet handed out as part of a complete line. */
  public long committedPosition() {
    return lineStart;
  }

  /** Bytes in the file that no read has returned yet. */
  public long remaining() throws IOException {
    return Math.max(0, channel.size() - lineStart);
  }

  public long size() throws IOException {
    return channel.size();
  }

  /** True when the file is now shorter than what was read: it was truncated (copytruncate). */
  public boolean truncated() throws IOException {
    return channel.size() < lineStart;
  }

  /** Reads again from {@code offset}, dropping the line being assembled. */
  public void restartAt(long offset) {
    current.reset();
    overflow = false;
    position = offset;
    lineStart = offset;
  }

  public FileChannel channel() {
    return channel;
  }

  private int scan(byte[] bytes, int length, List<Line> lines, int maxLines) {
    int from = 0;
    for (int i = 0; i < length; i++) {
      if (bytes[i] != '\n') {
        continue;
      }
      append(bytes, from, i - from);
      long end = position + i + 1;
      lines.add(new Line(current.toByteArray(), lineStart, end, overflow));
      current.reset();
      overflow = false;
      lineStart = end;
      from = i + 1;
      if (lines.size() == maxLines) {
        return from;
      }
    }
    append(bytes, from, length - from);
    return length;
  }

  private void append(byte[] bytes, int from, int length) {
    int room = maxLineBytes - current.size();
    if (length > room) {
      overflow = true;
    }
    current.write(bytes, from, Math.max(0, Math.min(length, room)));
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
