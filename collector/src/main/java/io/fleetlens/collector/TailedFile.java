package io.fleetlens.collector;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import io.fleetlens.collector.checkpoint.FileProgress;
import io.fleetlens.collector.cri.AssembledRecord;
import io.fleetlens.collector.cri.BadInput;
import io.fleetlens.collector.cri.CriRecordAssembler;
import io.fleetlens.collector.files.Line;
import io.fleetlens.collector.files.LineReader;
import io.fleetlens.core.logs.ContainerRef;

/**
 * One container log file being read: where reading stands, the entries being joined, and what of
 * it Kafka holds. When Kafka refuses a record the file is read again from its checkpoint, which
 * can send a record twice but never loses one; the aggregator stores a repeat once.
 */
final class TailedFile implements AutoCloseable {

  /** What a tailed file needs from the collector around it. */
  record Context(String cluster, String node, int maxLineBytes, BadInput badInput, CollectorMetrics metrics) {
  }

  private final Path path;
  private final String fileId;
  private final ContainerRef container;
  private final Context context;
  private final FileProgress progress;
  private LineReader reader;
  private CriRecordAssembler assembler;
  private volatile boolean sendFailed;
  private boolean gone;

  TailedFile(Path path, String fileId, ContainerRef container, long offset, Context context) throws IOException {
    this.path = path;
    this.fileId = fileId;
    this.container = container;
    this.context = context;
    this.progress = new FileProgress(offset);
    open(offset);
  }

  /** Reads up to {@code budget} lines and sends the records they complete; returns lines read. */
  int pump(KafkaLogShipper shipper, int budget) throws IOException {
    if (sendFailed) {
      rewind();
    }
    List<Line> lines = reader.read(budget);
    for (Line line : lines) {
      context.metrics().bytesRead.increment(line.end() - line.start());
      Optional<AssembledRecord> assembled = assembler.accept(line);
      if (assembled.isPresent()) {
        send(shipper, assembled.get());
      } else {
        progress.pass(assembler.resumeOffset(line.end()));
      }
    }
    return lines.size();
  }

  private void send(KafkaLogShipper shipper, AssembledRecord assembled) {
    FileProgress.Ticket ticket = progress.track(assembled.resumeOffset());
    context.metrics().recordsSent.increment();
    shipper.send(assembled.record(), failure -> {
      if (failure == null) {
        context.metrics().recordsAcked.increment();
        progress.acked(ticket);
      } else {
        context.metrics().sendFailures.increment();
        sendFailed = true;
      }
    });
  }

  private void rewind() throws IOException {
    sendFailed = false;
    long offset = progress.rewind();
    reader.close();
    open(offset);
  }

  private void open(long offset) throws IOException {
    reader = new LineReader(path, offset, context.maxLineBytes());
    assembler = new CriRecordAssembler(context.cluster(), context.node(), container, path, fileId,
        context.maxLineBytes(), context.badInput());
  }

  boolean sendFailed() {
    return sendFailed;
  }

  /** The file left its folder; it is read to its end, then released. */
  void markGone() {
    gone = true;
  }

  /** Gone, read to the end, and everything read is in Kafka. */
  boolean finished() throws IOException {
    return gone && reader.remaining() == 0 && progress.inFlight() == 0;
  }

  long committedOffset() {
    return progress.committed();
  }

  int inFlight() {
    return progress.inFlight();
  }

  long lagBytes() {
    try {
      return reader.remaining();
    } catch (IOException e) {
      return 0;
    }
  }

  Path path() {
    return path;
  }

  String fileId() {
    return fileId;
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }
}
