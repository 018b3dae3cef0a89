package io.fleetlens.collector;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fleetlens.collector.assemble.AssembledRecord;
import io.fleetlens.collector.assemble.EntryAssembler;
import io.fleetlens.collector.checkpoint.FileProgress;
import io.fleetlens.collector.files.Line;
import io.fleetlens.collector.format.Fragment;

/**
 * One container's log: its files oldest first (the current one and rotated ones not yet finished),
 * read strictly in that order so entries, and partial lines split by a rotation, come out as they
 * were written. When Kafka refuses a record, every file of the log is read again from its
 * checkpoint: a record may be sent twice, never lost.
 */
final class ContainerLog implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ContainerLog.class);

  private final List<TailedFile> files = new ArrayList<>();
  private final Supplier<EntryAssembler> assemblers;
  private final CollectorMetrics metrics;
  private EntryAssembler assembler;
  private volatile boolean sendFailed;

  ContainerLog(Supplier<EntryAssembler> assemblers, CollectorMetrics metrics) {
    this.assemblers = assemblers;
    this.assembler = assemblers.get();
    this.metrics = metrics;
  }

  /** Adds the newest file of this log; an older current file is now rotated and will be finished. */
  void addNewest(TailedFile file) {
    files.forEach(TailedFile::supersede);
    files.add(file);
  }

  /** Adds a rotated file found at start, older than the files already here. */
  void addOldest(TailedFile file) {
    file.supersede();
    files.add(0, file);
  }

  List<TailedFile> files() {
    return files;
  }

  /**
   * After Kafka refused a record: forgets what was in flight and reads every file again from its
   * checkpoint. Returns whether it had to.
   */
  boolean recoverFromFailedSend() {
    if (!sendFailed) {
      return false;
    }
    rewind();
    return true;
  }

  /** Reads up to {@code budget} lines and ships what they complete; returns lines read. */
  int pump(KafkaLogShipper shipper, int budget, long nowMillis) throws IOException {
    if (sendFailed) {
      return 0;
    }
    int read = 0;
    for (TailedFile file : files) {
      if (file.restartIfTruncated()) {
        metrics.truncations.increment();
        LOG.warn("{} was truncated (copytruncate); reading it again from the start", file.path());
        assembler = assemblers.get();
      }
      List<Line> lines = file.read(budget - read);
      for (Line line : lines) {
        if (sendFailed) {
          return read; // the rest is read again from the checkpoint, in order, after the rewind
        }
        process(file, line, shipper, nowMillis);
      }
      read += lines.size();
      if (read >= budget || !(file.superseded() && file.atEnd())) {
        break;
      }
    }
    assembler.flushIdle(nowMillis).forEach(record -> ship(shipper, record));
    return read;
  }

  private void process(TailedFile file, Line line, KafkaLogShipper shipper, long nowMillis) {
    file.processed(line);
    metrics.linesRead.increment();
    metrics.bytesRead.increment(line.end() - line.start());
    Optional<Fragment> fragment = file.format().parse(line);
    if (fragment.isEmpty()) {
      metrics.report(file.format().badInputReason(), file.path(), line.start());
      file.progress().pass(assembler.resumeOffset(file));
      return;
    }
    List<AssembledRecord> records = assembler.accept(fragment.get(), file, nowMillis);
    if (records.isEmpty()) {
      file.progress().pass(assembler.resumeOffset(file));
    }
    records.forEach(record -> ship(shipper, record));
  }

  private void ship(KafkaLogShipper shipper, AssembledRecord assembled) {
    List<FileProgress.Ticket> tickets = new ArrayList<>(assembled.marks().size());
    List<FileProgress> progresses = new ArrayList<>(assembled.marks().size());
    for (AssembledRecord.Mark mark : assembled.marks()) {
      tickets.add(mark.source().progress().track(mark.resumeOffset()));
      progresses.add(mark.source().progress());
    }
    metrics.recordsSent.increment();
    shipper.send(assembled.record(), failure -> {
      if (failure == null) {
        metrics.recordsAcked.increment();
        for (int i = 0; i < tickets.size(); i++) {
          progresses.get(i).acked(tickets.get(i));
        }
      } else {
        metrics.sendFailures.increment();
        if (!sendFailed) {
          LOG.warn("Kafka did not take a record of {}; reading it again from its checkpoint: {}",
              files.isEmpty() ? "?" : files.get(files.size() - 1).path(), failure.toString());
        }
        sendFailed = true;
      }
    });
  }

  private void rewind() {
    sendFailed = false;
    assembler = assemblers.get();
    for (TailedFile file : files) {
      file.rewind();
    }
  }

  /** Flushes entries of files that were deleted and are read to their end: no line will follow. */
  void flushGone(KafkaLogShipper shipper, long nowMillis) throws IOException {
    if (!files.isEmpty() && files.stream().allMatch(f -> f.gone() && f.lagBytes() == 0)) {
      assembler.flushIdle(Long.MAX_VALUE).forEach(record -> ship(shipper, record));
      for (TailedFile file : files) {
        file.progress().pass(assembler.resumeOffset(file));
      }
    }
  }

  /** Closes and returns the files that are finished and no entry still being built started in. */
  List<TailedFile> releaseFinished() throws IOException {
    List<TailedFile> released = new ArrayList<>();
    Iterator<TailedFile> it = files.iterator();
    while (it.hasNext()) {
      TailedFile file = it.next();
      if (file.finished() && !assembler.holds(file)) {
        file.close();
        it.remove();
        released.add(file);
      }
    }
    return released;
  }

  int inFlight() {
    return files.stream().mapToInt(f -> f.progress().inFlight()).sum();
  }

  long lagBytes() {
    return files.stream().mapToLong(TailedFile::lagBytes).sum();
  }

  @Override
  public void close() throws IOException {
    for (TailedFile file : files) {
      file.close();
    }
  }
}
