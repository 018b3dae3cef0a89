package io.fleetlens.collector;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fleetlens.collector.assemble.EntryAssembler;
import io.fleetlens.collector.assemble.MultilineRules;
import io.fleetlens.collector.checkpoint.Checkpoint;
import io.fleetlens.collector.checkpoint.CheckpointStore;
import io.fleetlens.collector.files.FileFilter;
import io.fleetlens.collector.files.FileIdentity;
import io.fleetlens.collector.files.LogFileDiscovery;
import io.fleetlens.collector.files.PodLogPath;
import io.fleetlens.collector.kube.Kubernetes;
import io.fleetlens.collector.kube.PodDirectory;
import io.fleetlens.core.logs.ContainerRef;
import io.fleetlens.collector.resources.NodeResources;
import io.fleetlens.collector.scrape.PodTargets;
import io.fleetlens.collector.scrape.SampleSource;
import io.fleetlens.collector.scrape.ScrapeLoop;
import io.fleetlens.collector.scrape.ScrapeTarget;
import io.fleetlens.collector.scrape.Scraper;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Tails every container log file on the node and ships its entries to Kafka. One thread reads; the
 * Kafka producer's thread acknowledges; checkpoints are written on an interval and at the end, and
 * only ever cover entries Kafka acknowledged. Files are followed by identity, so a rotation
 * (rename and create) finishes the old file before the new one, and a restart resumes both.
 */
public final class Collector implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Collector.class);
  private static final int LINES_PER_TURN = 2_000;

  private final CollectorConfig config;
  private final LogFileDiscovery discovery;
  private final CheckpointStore checkpoints;
  private final KafkaLogShipper shipper;
  private final CollectorMetrics metrics;
  private final MultilineRules multiline;
  private final Map<Path, ContainerLog> logs = new ConcurrentHashMap<>();
  private final Map<String, TailedFile> files = new ConcurrentHashMap<>();
  private final Map<String, Checkpoint> restored = new HashMap<>();
  private final Map<String, Long> waitingForPod = new HashMap<>();
  private final Map<String, io.micrometer.core.instrument.Gauge> lagGauges = new ConcurrentHashMap<>();
  private final java.util.Set<String> optedOut = new java.util.HashSet<>();
  private final PodDirectory pods;
  private final Thread tailer = new Thread(this::run, "collector-tail");
  private final KafkaSampleShipper samples;
  private final ScrapeLoop scrapes;
  private volatile boolean running;
  private long lastCheckpoint;
  private long lastScan;

  public Collector(CollectorConfig config, MeterRegistry registry) {
    this.config = config;
    this.metrics = new CollectorMetrics(registry);
    CollectorConfig.Logs logsConfig = config.logs();
    this.discovery = new LogFileDiscovery(Path.of(logsConfig.podsDir()),
        logsConfig.containersDir().isBlank() ? null : Path.of(logsConfig.containersDir()),
        new FileFilter(logsConfig.include(), logsConfig.exclude()), (path, e) -> metrics.unreadable(path, e));
    this.checkpoints = new CheckpointStore(Path.of(config.checkpoints().dir()));
    this.shipper = new KafkaLogShipper(config.kafka().cluster(), config.kafka().topic(),
        "fleetlens-collector-" + config.nodeName(), openSpool(config.spool()), metrics);
    this.samples = new KafkaSampleShipper(config.kafka().cluster(), config.kafka().metricsTopic(),
        config.cluster(), "fleetlens-collector-metrics-" + config.nodeName(), registry);
    this.pods = Kubernetes.podDirectory(config.kubelet(), registry);
    Map<String, String> common = Map.of("cluster", config.cluster(), "node", config.nodeName());
    List<ScrapeTarget> fixed = config.scrape().targets().stream().map(t -> ScrapeTarget.parse(t, common)).toList();
    boolean annotated = config.scrape().annotatedPods();
    CollectorConfig.NodeMetrics node = config.nodeMetrics();
    List<SampleSource> local = node.enabled()
        ? List.of(new NodeResources(Path.of(node.cgroupRoot()), Path.of(node.procRoot()), pods,
            Kubernetes.nodeInfo(config), common))
        : List.of();
    this.scrapes = new ScrapeLoop(() -> annotated ? concat(fixed, PodTargets.of(pods.listed(), common)) : fixed, local,
        new Scraper(java.time.Duration.ofMillis(config.scrape().timeoutMs())), samples, config.scrape().intervalMs(),
        registry);
    this.multiline = MultilineRules.of(config.multiline().enabled(), config.multiline().startPatterns());
    metrics.gauges(files::size, this::inFlight, this::lagBytes);
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> all = new java.util.ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static io.fleetlens.collector.spool.Spool openSpool(CollectorConfig.Spool spool) {
    try {
      return new io.fleetlens.collector.spool.Spool(Path.of(spool.dir()), spool.maxBytes(), spool.segmentBytes());
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot open the spool folder " + spool.dir() + ": " + e.getMessage(), e);
    }
  }

  public Collector start() throws IOException {
    restored.putAll(checkpoints.load());
    pods.start();
    running = true;
    tailer.start();
    scrapes.start();
    LOG.info("collecting {} for cluster {} on node {}", config.logs().podsDir(), config.cluster(), config.nodeName());
    return this;
  }

  public boolean kafkaReachable() {
    return shipper.kafkaReachable();
  }

  private void run() {
    while (running) {
      try {
        if (turn() == 0) {
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
    boolean recovered = false;
    for (ContainerLog log : logs.values()) {
      recovered |= log.recoverFromFailedSend();
    }
    if (recovered) {
      Thread.sleep(500);
    }
    int lines = 0;
    for (ContainerLog log : logs.values()) {
      if (inFlight() >= config.kafka().maxUnackedRecords() || shipper.spoolFull()) {
        break;
      }
      lines += log.pump(shipper, LINES_PER_TURN, now);
      log.flushGone(shipper, now);
    }
    shipper.syncSpool();
    release();
    if (now - lastCheckpoint >= config.checkpoints().intervalMs()) {
      lastCheckpoint = now;
      saveCheckpoints();
    }
    return lines;
  }

  private void discover() throws IOException {
    Map<String, Path> present = new LinkedHashMap<>();
    Map<Path, PodLogPath.Found> found = discovery.scan();
    for (Map.Entry<Path, PodLogPath.Found> entry : found.entrySet()) {
      try {
        String id = FileIdentity.of(entry.getKey());
        if (present.putIfAbsent(id, entry.getKey()) != null) {
          continue; // a link in the containers folder to a file already found under the pods folder
        }
        TailedFile known = files.get(id);
        if (known != null) {
          known.renamedTo(entry.getKey());
        } else {
          follow(entry.getKey(), id, entry.getValue());
        }
      } catch (IOException vanished) {
        // rotated or deleted between the scan and now; the next scan sees it
      }
    }
    files.values().stream().filter(f -> !present.containsKey(f.fileId()) && !f.gone()).forEach(TailedFile::markGone);
  }

  private void follow(Path path, String id, PodLogPath.Found given) throws IOException {
    PodLogPath.Found found = withPodUid(given);
    if (!admitted(id, found)) {
      return;
    }
    Checkpoint checkpoint = restored.remove(id);
    if (found.rotated() && checkpoint == null) {
      return;
    }
    TailedFile file = new TailedFile(path, id, 0, config.logs().maxLineBytes());
    long offset = startOffset(file, checkpoint);
    if (found.rotated() && offset >= Files.size(path)) {
      file.close();
      return;
    }
    if (offset > 0) {
      file.close();
      file = new TailedFile(path, id, offset, config.logs().maxLineBytes());
    }
    ContainerLog log = logs.computeIfAbsent(found.slot(), slot -> new ContainerLog(() -> assembler(found), metrics));
    if (found.rotated()) {
      log.addOldest(file);
    } else {
      if (!log.files().isEmpty()) {
        metrics.rotations.increment();
      }
      log.addNewest(file);
    }
    files.put(id, file);
    lagGauges.put(id, metrics.fileLag(file));
    LOG.info("tailing {} from offset {}", path, offset);
  }

  /**
   * Whether a newly seen file may be read: not when its pod opted out, and not yet when a new pod's
   * metadata has not arrived (it waits up to {@code kubelet.wait-for-new-pod-ms}, then is read
   * without it rather than not at all).
   */
  private boolean admitted(String id, PodLogPath.Found found) {
    if (!pods.enabled()) {
      return true;
    }
    ContainerRef container = found.container();
    if (pods.pod(container.podUid()).isEmpty() && !restored.containsKey(id) && !found.rotated()) {
      long now = System.currentTimeMillis();
      long since = waitingForPod.computeIfAbsent(id, k -> now);
      if (now - since < config.kubelet().waitForNewPodMs()) {
        pods.requestRefresh();
        return false;
      }
    }
    waitingForPod.remove(id);
    if (pods.excluded(container.podUid(), container.name())) {
      if (optedOut.add(id)) {
        LOG.info("not collecting {}: pod {}/{} opts out by annotation", found.slot(), container.namespace(),
            container.pod());
        metrics.optedOut.increment();
      }
      return false;
    }
    return true;
  }

  /** Files found through /var/log/containers links carry no pod uid; the kubelet's pod list has it. */
  private PodLogPath.Found withPodUid(PodLogPath.Found found) {
    ContainerRef c = found.container();
    if (!c.podUid().isEmpty() || !pods.enabled()) {
      return found;
    }
    return pods.pod(c.namespace(), c.pod())
        .map(p -> new PodLogPath.Found(new ContainerRef(c.namespace(), c.pod(), p.uid(), c.name()), found.slot(),
            found.rotated()))
        .orElse(found);
  }

  /** Where to start reading a newly seen file: its checkpoint, if the checkpoint is this file's. */
  private long startOffset(TailedFile file, Checkpoint checkpoint) throws IOException {
    if (checkpoint == null) {
      return 0;
    }
    if (!file.matches(checkpoint)) {
      LOG.info("{} reuses the inode of {}, which is gone; reading it from the start", file.path(), checkpoint.path());
      return 0;
    }
    long size = Files.size(file.path());
    if (checkpoint.offset() > size) {
      LOG.warn("{} is shorter ({} bytes) than its checkpoint ({}); it was truncated, reading from the start",
          file.path(), size, checkpoint.offset());
      metrics.truncations.increment();
      return 0;
    }
    return checkpoint.offset();
  }

  private EntryAssembler assembler(PodLogPath.Found found) {
    return new EntryAssembler(config.cluster(), config.nodeName(), found.container(), config.logs().maxLineBytes(),
        multiline, config.multiline().flushMs(), metrics, pods::metadata);
  }

  private void release() throws IOException {
    Iterator<Map.Entry<Path, ContainerLog>> it = logs.entrySet().iterator();
    while (it.hasNext()) {
      ContainerLog log = it.next().getValue();
      for (TailedFile file : log.releaseFinished()) {
        files.remove(file.fileId());
        io.micrometer.core.instrument.Gauge lag = lagGauges.remove(file.fileId());
        if (lag != null) {
          metrics.forget(lag);
        }
        LOG.info("released {}: {} and read to its end", file.path(), file.gone() ? "deleted" : "rotated");
      }
      if (log.files().isEmpty()) {
        it.remove();
      }
    }
  }

  private synchronized void saveCheckpoints() {
    Map<String, Checkpoint> current = new HashMap<>(restored);
    for (TailedFile file : files.values()) {
      try {
        current.put(file.fileId(), file.checkpoint());
      } catch (IOException e) {
        LOG.warn("cannot checkpoint {}: {}", file.path(), e.getMessage());
      }
    }
    try {
      checkpoints.save(current);
    } catch (IOException e) {
      LOG.error("could not write checkpoints to {}", config.checkpoints().dir(), e);
    }
  }

  private int inFlight() {
    return logs.values().stream().mapToInt(ContainerLog::inFlight).sum();
  }

  private long lagBytes() {
    return logs.values().stream().mapToLong(ContainerLog::lagBytes).sum();
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
    scrapes.close();
    pods.close();
    tailer.interrupt();
    tailer.join(10_000);
    shipper.close();
    samples.close();
    saveCheckpoints();
    for (ContainerLog log : logs.values()) {
      log.close();
    }
  }
}
