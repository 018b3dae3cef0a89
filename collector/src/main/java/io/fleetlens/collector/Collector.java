package io.fleetlens.collector;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fleetlens.collector.checkpoint.Checkpoint;
import io.fleetlens.collector.checkpoint.CheckpointStore;
import io.fleetlens.collector.files.FileIdentity;
import io.fleetlens.collector.files.LogFileDiscovery;
import io.fleetlens.core.logs.ContainerRef;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Tails every container log file on the node and ships its records to Kafka. One thread reads; the
 * Kafka producer's thread acknowledges; checkpoints are written on an interval and at the end, and
 * only ever cover records Kafka acknowledged.
 */
public final class Collector implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Collector.class);
  private static final int LINES_PER_TURN = 2_000;

  private final CollectorConfig config;
  private final LogFileDiscovery discovery;
  private final CheckpointStore checkpoints;
  private final KafkaLogShipper shipper;
  private final TailedFile.Context context;
  private final Map<String, TailedFile> files = new ConcurrentHashMap<>();
  private final Map<String, Checkpoint> restored = new HashMap<>();
  private final Thread tailer = new Thread(this::run, "collector-tail");
  private volatile boolean running;
  private long lastCheckpoint;
  private long lastScan;

  public Collector(CollectorConfig config, MeterRegistry registry) {
    this.config = config;
    this.discovery = new LogFileDiscovery(Path.of(config.logs().podsDir()));
    this.checkpoints = new CheckpointStore(Path.of(config.checkpoints().dir()));
    this.shipper = new KafkaLogShipper(config.kafka().bootstrapServers(), config.kafka().topic(),
        "fleetlens-collector-" + config.nodeName());
    CollectorMetrics metrics = new CollectorMetrics(registry);
    metrics.gauges(files::size, this::inFlight, this::lagBytes);
    this.context = new TailedFile.Context(config.cluster(), config.nodeName(), config.logs().maxLineBytes(),
        metrics, metrics);
  }

  public Collector start() throws IOException {
    restored.putAll(checkpoints.load());
    running = true;
    tailer.start();
    LOG.info("collecting {} for cluster {} on node {}", config.logs().podsDir(), config.cluster(), config.nodeName());
    return this;
  }

  public boolean kafkaReachable() {
    return shipper.kafkaReachable();
  }

  private void run() {
    while (running) {
      try {
        int lines = turn();
        if (lines == 0) {
          Thread.sleep(50);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        LOG.error("collector turn failed; carrying on", e);
        sleepQuietly(1_000);
      }
    }
  }

  private int turn() throws IOException, InterruptedException {
    long now = System.currentTimeMillis();
    if (now - lastScan >= config.logs().scanIntervalMs()) {
      lastScan = now;
      discover();
    }
    int lines = 0;
    for (TailedFile file : files.values()) {
      if (inFlight() >= config.kafka().maxUnackedRecords()) {
        break;
      }
      if (file.sendFailed()) {
        Thread.sleep(500);
      }
      lines += file.pump(shipper, LINES_PER_TURN);
    }
    releaseFinished();
    if (now - lastCheckpoint >= config.checkpoints().intervalMs()) {
      lastCheckpoint = now;
      saveCheckpoints();
    }
    return lines;
  }

  private void discover() throws IOException {
    Map<Path, ContainerRef> found = discovery.scan();
    Map<String, Path> present = new HashMap<>();
    for (Map.Entry<Path, ContainerRef> entry : found.entrySet()) {
      String id;
      try {
        id = FileIdentity.of(entry.getKey());
      } catch (IOException vanished) {
        continue;
      }
      present.put(id, entry.getKey());
      if (!files.containsKey(id)) {
        follow(entry.getKey(), id, entry.getValue());
      }
    }
    files.values().stream().filter(f -> !present.containsKey(f.fileId())).forEach(TailedFile::markGone);
  }

  private void follow(Path path, String id, ContainerRef container) throws IOException {
    long offset = 0;
    Checkpoint checkpoint = restored.remove(id);
    if (checkpoint != null) {
      long size = Files.size(path);
      offset = checkpoint.offset() <= size ? checkpoint.offset() : 0;
      if (checkpoint.offset() > size) {
        LOG.warn("{} is shorter ({} bytes) than its checkpoint ({}); it was truncated, reading from the start",
            path, size, checkpoint.offset());
      }
    }
    files.put(id, new TailedFile(path, id, container, offset, context));
    LOG.info("tailing {} from offset {}", path, offset);
  }

  private void releaseFinished() throws IOException {
    Iterator<TailedFile> it = files.values().iterator();
    while (it.hasNext()) {
      TailedFile file = it.next();
      if (file.finished()) {
        file.close();
        it.remove();
        LOG.info("released {}: deleted and read to its end", file.path());
      }
    }
  }

  private synchronized void saveCheckpoints() {
    Map<String, Checkpoint> current = new HashMap<>(restored);
    files.values().forEach(f -> current.put(f.fileId(), new Checkpoint(f.path().toString(), f.committedOffset())));
    try {
      checkpoints.save(current);
    } catch (IOException e) {
      LOG.error("could not write checkpoints to {}", config.checkpoints().dir(), e);
    }
  }

  private int inFlight() {
    return files.values().stream().mapToInt(TailedFile::inFlight).sum();
  }

  private long lagBytes() {
    return files.values().stream().mapToLong(TailedFile::lagBytes).sum();
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops reading, waits for Kafka to acknowledge what was sent, and writes the last checkpoints. */
  @Override
  public void close() throws Exception {
    running = false;
    tailer.interrupt();
    tailer.join(10_000);
    shipper.close();
    saveCheckpoints();
    for (TailedFile file : files.values()) {
      file.close();
    }
  }
}
