package io.fleetlens.collector.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A bounded on-disk queue of Kafka records, kept while Kafka cannot be reached. Records go into
 * segment files ({@code <sequence>.spool}, each entry a length-prefixed key and value) and come out
 * in the order they went in; a segment is deleted once everything in it is in Kafka. After a crash
 * the remaining segments are read again from their start: some records may be sent twice, none lost.
 */
public final class Spool implements AutoCloseable {

  /** An entry read back, and where the spool stands after it. */
  public record Entry(byte[] key, byte[] value, long segment, long end) {
  }

  private final Path dir;
  private final long maxBytes;
  private final long segmentBytes;
  private final TreeMap<Long, Long> segments = new TreeMap<>();
  private FileChannel writing;
  private long writeSegment;
  private long readSegment;
  private long readOffset;

  public Spool(Path dir, long maxBytes, long segmentBytes) throws IOException {
    this.dir = Files.createDirectories(dir);
    this.maxBytes = maxBytes;
    this.segmentBytes = segmentBytes;
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".spool")).toList()) {
        segments.put(Long.parseLong(file.getFileName().toString().replace(".spool", "")), Files.size(file));
      }
    }
    writeSegment = segments.isEmpty() ? 0 : segments.lastKey() + 1;
    readSegment = segments.isEmpty() ? writeSegment : segments.firstKey();
  }

  public synchronized void append(byte[] key, byte[] value) throws IOException {
    if (writing == null || segments.getOrDefault(writeSegment, 0L) >= segmentBytes) {
      rollSegment();
    }
    ByteBuffer entry = ByteBuffer.allocate(8 + key.length + value.length);
    entry.putInt(key.length).put(key).putInt(value.length).put(value).flip();
    while (entry.hasRemaining()) {
      writing.write(entry);
    }
    segments.merge(writeSegment, (long) entry.limit(), Long::sum);
  }

  /** Makes everything appended so far durable. */
  public synchronized void sync() throws IOException {
    if (writing != null) {
      writing.force(false);
    }
  }

  /** Reads up to {@code max} entries after the last one read. */
  public synchronized List<Entry> read(int max) throws IOException {
    List<Entry> entries = new ArrayList<>();
    while (entries.size() < max) {
      if (!segments.containsKey(readSegment)) {
        Long next = segments.higherKey(readSegment);
        if (next == null) {
          break;
        }
        readSegment = next;
        readOffset = 0;
      }
      long size = segments.get(readSegment);
      if (readOffset >= size) {
        if (readSegment == writeSegment) {
          break;
        }
        Long next = segments.higherKey(readSegment);
        if (next == null) {
          break;
        }
        readSegment = next;
        readOffset = 0;
        continue;
      }
      Entry entry = readAt(readSegment, readOffset);
      if (entry == null) {
        readOffset = size;
        continue;
      }
      entries.add(entry);
      readOffset = entry.end();
    }
    return entries;
  }

  /** Everything up to and including {@code last} is in Kafka: drop the segments before it. */
  public synchronized void delivered(Entry last) throws IOException {
    for (Long segment : new ArrayList<>(segments.headMap(last.segment()).keySet())) {
      Files.deleteIfExists(file(segment));
      segments.remove(segment);
    }
    if (last.end() < segments.getOrDefault(last.segment(), 0L)) {
      return;
    }
    if (last.segment() == writeSegment && writing != null) {
      writing.close();
      writing = null;
      writeSegment++;
    }
    Files.deleteIfExists(file(last.segment()));
    segments.remove(last.segment());
  }

  /** Sending failed: read again from the oldest entry not yet delivered. */
  public synchronized void rewind() {
    readSegment = segments.isEmpty() ? writeSegment : segments.firstKey();
    readOffset = 0;
  }

  public synchronized long bytes() {
    return segments.values().stream().mapToLong(Long::longValue).sum();
  }

  public synchronized boolean full() {
    return bytes() >= maxBytes;
  }

  private void rollSegment() throws IOException {
    if (writing != null) {
      writing.force(false);
      writing.close();
      writeSegment++;
    }
    writing = FileChannel.open(file(writeSegment), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND);
    segments.putIfAbsent(writeSegment, 0L);
  }

  private Entry readAt(long segment, long offset) throws IOException {
    try (FileChannel channel = FileChannel.open(file(segment), StandardOpenOption.READ)) {
      ByteBuffer length = ByteBuffer.allocate(4);
      if (channel.read(length, offset) < 4) {
        return null;
      }
      byte[] key = new byte[length.flip().getInt()];
      ByteBuffer keyBuffer = ByteBuffer.wrap(key);
      channel.read(keyBuffer, offset + 4);
      length.clear();
      if (keyBuffer.hasRemaining() || channel.read(length, offset + 4 + key.length) < 4) {
        return null;
      }
      byte[] value = new byte[length.flip().getInt()];
      ByteBuffer valueBuffer = ByteBuffer.wrap(value);
      channel.read(valueBuffer, offset + 8 + key.length);
      if (valueBuffer.hasRemaining()) {
        return null;
      }
      return new Entry(key, value, segment, offset + 8 + key.length + value.length);
    }
  }

  private Path file(long segment) {
    return dir.resolve(String.format("%020d.spool", segment));
  }

  @Override
  public synchronized void close() throws IOException {
    if (writing != null) {
      writing.force(false);
      writing.close();
    }
  }
}
