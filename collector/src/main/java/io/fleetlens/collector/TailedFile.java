package io.fleetlens.collector;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import io.fleetlens.collector.assemble.EntrySource;
import io.fleetlens.collector.checkpoint.Checkpoint;
import io.fleetlens.collector.checkpoint.FileProgress;
import io.fleetlens.collector.files.Fingerprint;
import io.fleetlens.collector.files.Line;
import io.fleetlens.collector.files.LineReader;
import io.fleetlens.collector.format.LineFormat;

/**
 * One log file being read, known by its identity (device and inode) whatever its name becomes:
 * where reading stands, what of it Kafka holds, and whether a newer file took its place (rotation)
 * or it left its folder (deletion). It stays open until it is read to its end and all of it is
 * stored, so a rotated or deleted file loses nothing; then it is released and its disk space freed.
 */
final class TailedFile implements EntrySource, AutoCloseable {

  private final String fileId;
  private final int maxLineBytes;
  private final FileProgress progress;
  private final LineReader reader;
  private Path path;
  private LineFormat format;
  private Fingerprint fingerprint;
  private long processedUpTo;
  private boolean superseded;
  private boolean gone;

  TailedFile(Path path, String fileId, long offset, int maxLineBytes) throws IOException {
    this.path = path;
    this.fileId = fileId;
    this.maxLineBytes = maxLineBytes;
    this.progress = new FileProgress(offset);
    this.reader = new LineReader(path, offset, maxLineBytes);
    this.processedUpTo = offset;
  }

  List<Line> read(int budget) throws IOException {
    List<Line> lines = reader.read(budget);
    if (format == null && !lines.isEmpty()) {
      format = LineFormat.detect(lines.get(0));
    }
    return lines;
  }

  LineFormat format() {
    return format;
  }

  void processed(Line line) {
    processedUpTo = line.end();
  }

  /** Reads again from the checkpoint after Kafka refused a record; returns the offset. */
  long rewind() {
    long offset = progress.rewind();
    reader.restartAt(offset);
    processedUpTo = offset;
    return offset;
  }

  /** True when the file shrank below what was read (copytruncate); reading starts over from 0. */
  boolean restartIfTruncated() throws IOException {
    if (!reader.truncated()) {
      return false;
    }
    progress.truncated();
    reader.restartAt(0);
    processedUpTo = 0;
    fingerprint = null;
    format = null;
    return true;
  }

  boolean atEnd() throws IOException {
    return reader.remaining() == 0;
  }

  /** Done: replaced or deleted, read to its end, and everything read is stored. */
  boolean finished() throws IOException {
    return (superseded || gone) && atEnd() && progress.inFlight() == 0 && progress.committed() >= reader.size();
  }

  void supersede() {
    superseded = true;
  }

  boolean superseded() {
    return superseded;
  }

  void markGone() {
    gone = true;
  }

  boolean gone() {
    return gone;
  }

  void renamedTo(Path newPath) {
    path = newPath;
  }

  Checkpoint checkpoint() throws IOException {
    if (fingerprint == null || !fingerprint.complete()) {
      fingerprint = Fingerprint.of(reader.channel(), Fingerprint.LENGTH);
    }
    return new Checkpoint(path.toString(), progress.committed(), fingerprint.crc(), fingerprint.length());
  }

  /** True when the stored checkpoint belongs to this file rather than an earlier one with its inode. */
  boolean matches(Checkpoint checkpoint) throws IOException {
    Fingerprint now = Fingerprint.of(reader.channel(), checkpoint.fingerprintLength());
    return now.length() == checkpoint.fingerprintLength() && now.crc().equals(checkpoint.fingerprint());
  }

  long lagBytes() {
    try {
      return reader.remaining();
    } catch (IOException e) {
      return 0;
    }
  }

  int maxLineBytes() {
    return maxLineBytes;
  }

  @Override
  public String fileId() {
    return fileId;
  }

  @Override
  public Path path() {
    return path;
  }

  @Override
  public FileProgress progress() {
    return progress;
  }

  @Override
  public long processedUpTo() {
    return processedUpTo;
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }
}
