package io.fleetlens.collector.cri;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

import io.fleetlens.collector.files.Line;
import io.fleetlens.core.logs.ContainerRef;
import io.fleetlens.core.logs.LogOrigin;
import io.fleetlens.core.logs.LogRecord;
import io.fleetlens.core.logs.LogStream;

/**
 * Turns the lines of one container's CRI log file into records: joins each stream's partial lines
 * up to the full one (stdout and stderr separately, since they interleave), keeps a record to
 * {@code maxRecordBytes}, and decodes it as UTF-8.
 */
public final class CriRecordAssembler {

  private final String cluster;
  private final String node;
  private final ContainerRef container;
  private final Path file;
  private final String fileId;
  private final int maxRecordBytes;
  private final BadInput badInput;
  private final Map<LogStream, Partial> partials = new EnumMap<>(LogStream.class);

  private static final class Partial {
    final Instant timestamp;
    final long start;
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    boolean truncated;

    Partial(Instant timestamp, long start) {
      this.timestamp = timestamp;
      this.start = start;
    }
  }

  public CriRecordAssembler(String cluster, String node, ContainerRef container, Path file, String fileId,
      int maxRecordBytes, BadInput badInput) {
    this.cluster = cluster;
    this.node = node;
    this.container = container;
    this.file = file;
    this.fileId = fileId;
    this.maxRecordBytes = maxRecordBytes;
    this.badInput = badInput;
  }

  /** Takes the next line; returns the record it completes, if any. */
  public Optional<AssembledRecord> accept(Line line) {
    Optional<CriLine> parsed = CriLineParser.parse(line);
    if (parsed.isEmpty()) {
      badInput.report(BadInput.NOT_CRI, file, line.start());
      return Optional.empty();
    }
    CriLine cri = parsed.get();
    Partial partial = partials.computeIfAbsent(cri.stream(), s -> new Partial(cri.timestamp(), cri.start()));
    append(partial, cri);
    if (cri.partial()) {
      return Optional.empty();
    }
    partials.remove(cri.stream());
    return Optional.of(new AssembledRecord(record(cri.stream(), partial), resumeOffset(cri.end())));
  }

  /** The offset a restart may resume from now: before the first line of any unfinished entry. */
  public long resumeOffset(long readUpTo) {
    long resume = readUpTo;
    for (Partial partial : partials.values()) {
      resume = Math.min(resume, partial.start);
    }
    return resume;
  }

  private void append(Partial partial, CriLine cri) {
    int room = maxRecordBytes - partial.bytes.size();
    byte[] message = cri.message();
    if (message.length > room || cri.truncated()) {
      partial.truncated = true;
    }
    partial.bytes.write(message, 0, Math.max(0, Math.min(message.length, room)));
  }

  private LogRecord record(LogStream stream, Partial partial) {
    byte[] bytes = partial.bytes.toByteArray();
    Utf8.Decoded decoded = Utf8.decode(bytes, bytes.length, partial.truncated);
    if (partial.truncated) {
      badInput.report(BadInput.TRUNCATED, file, partial.start);
    }
    if (!decoded.valid()) {
      badInput.report(BadInput.INVALID_UTF8, file, partial.start);
    }
    return new LogRecord(cluster, node, container, partial.timestamp, stream, decoded.text(), partial.truncated,
        null, new LogOrigin(fileId, partial.start));
  }
}
