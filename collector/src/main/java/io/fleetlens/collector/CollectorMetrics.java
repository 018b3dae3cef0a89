package io.fleetlens.collector;

import java.nio.file.Path;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fleetlens.collector.assemble.BadInput;
import io.fleetlens.collector.format.CriFormat;
import io.fleetlens.collector.format.DockerJsonFormat;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** The collector's meters (names in collector/README.md), and the log line for each bad input. */
final class CollectorMetrics implements BadInput {

  private static final Logger LOG = LoggerFactory.getLogger(CollectorMetrics.class);

  private final MeterRegistry registry;
  final Counter recordsSent;
  final Counter recordsAcked;
  final Counter sendFailures;
  final Counter bytesRead;
  final Counter linesRead;
  final Counter rotations;
  final Counter spooled;
  final Counter drained;
  final Counter truncations;
  final Counter optedOut;
  final io.micrometer.core.instrument.Timer kafkaAck;

  CollectorMetrics(MeterRegistry registry) {
    this.registry = registry;
    recordsSent = Counter.builder("fleetlens.collector.records.sent")
        .description("Log records handed to the Kafka producer").register(registry);
    recordsAcked = Counter.builder("fleetlens.collector.records.acked")
        .description("Log records Kafka acknowledged").register(registry);
    sendFailures = Counter.builder("fleetlens.collector.send.failures")
        .description("Records Kafka did not take; their file is read again from its checkpoint").register(registry);
    linesRead = Counter.builder("fleetlens.collector.lines.read")
        .description("Complete lines read from log files").register(registry);
    bytesRead = Counter.builder("fleetlens.collector.bytes.read")
        .description("Bytes of complete lines read from log files").register(registry);
    spooled = Counter.builder("fleetlens.collector.spooled.records")
        .description("Records written to the disk spool while Kafka was unreachable").register(registry);
    drained = Counter.builder("fleetlens.collector.spool.drained.records")
        .description("Spooled records delivered to Kafka").register(registry);
    rotations = Counter.builder("fleetlens.collector.rotations")
        .description("Log files replaced by a newer file (kubelet rotation)").register(registry);
    kafkaAck = io.micrometer.core.instrument.Timer.builder("fleetlens.collector.kafka.ack")
        .description("Time from handing a record to the producer until Kafka acknowledged it")
        .publishPercentileHistogram().register(registry);
    optedOut = Counter.builder("fleetlens.collector.files.opted.out")
        .description("Log files not collected because their pod opts out by annotation").register(registry);
    truncations = Counter.builder("fleetlens.collector.truncations")
        .description("Log files found shorter than what was read (copytruncate); read again from the start")
        .register(registry);
    for (String reason : new String[] {CriFormat.NOT_CRI, DockerJsonFormat.BAD_JSON, INVALID_UTF8, TRUNCATED,
        NUL_BYTES, "unreadable"}) {
      badInputCounter(reason);
    }
  }

  void gauges(Supplier<Number> files, Supplier<Number> unacked, Supplier<Number> lagBytes) {
    Gauge.builder("fleetlens.collector.files", files).description("Log files being tailed").register(registry);
    Gauge.builder("fleetlens.collector.unacked.records", unacked)
        .description("Records sent and not yet acknowledged by Kafka").register(registry);
    Gauge.builder("fleetlens.collector.lag.bytes", lagBytes)
        .description("Bytes written to tailed files and not yet read").register(registry);
  }

  /** Bytes behind in one file, until the file is released. */
  Gauge fileLag(TailedFile file) {
    return Gauge.builder("fleetlens.collector.file.lag.bytes", file, TailedFile::lagBytes)
        .tag("file", file.path().toString()).description("Bytes written to a tailed file and not yet read")
        .register(registry);
  }

  void forget(Gauge gauge) {
    registry.remove(gauge);
  }

  void spoolGauges(Supplier<Number> bytes, Supplier<Number> kafkaUp) {
    Gauge.builder("fleetlens.collector.spool.bytes", bytes).description("Bytes in the disk spool").register(registry);
    Gauge.builder("fleetlens.collector.kafka.up", kafkaUp).description("1 when Kafka answers, else 0")
        .register(registry);
  }

  /** A folder or file under the pods folder that cannot be read (permissions, vanished). */
  void unreadable(Path path, java.io.IOException e) {
    badInputCounter("unreadable").increment();
    LOG.warn("bad input: unreadable in {}: {}", path, e.toString());
  }

  @Override
  public void report(String reason, Path file, long offset) {
    badInputCounter(reason).increment();
    LOG.warn("bad input: {} in {} at offset {}", reason, file, offset);
  }

  private Counter badInputCounter(String reason) {
    return Counter.builder("fleetlens.collector.bad.input").tag("reason", reason)
        .description("Input lines that were skipped (not_cri) or changed (invalid_utf8, truncated)")
        .register(registry);
  }
}
