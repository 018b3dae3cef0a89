package io.fleetlens.collector.kube;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fleetlens.core.pods.PodMetadata;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The pods of this node as the kubelet last described them, refreshed on an interval and on demand
 * when a file of an unknown pod appears. A pod the kubelet stops listing keeps its last metadata for
 * {@code forgetAfterMillis}, so the end of a deleted pod's log is still labelled. A failed refresh
 * keeps what was known and is counted and logged; it never stops log collection.
 *
 * <p>Opting out: a pod annotated {@value #EXCLUDE} {@code "true"} is not collected; one annotated
 * {@value #EXCLUDE_CONTAINERS} with a comma-separated list of container names loses only those.
 */
public final class PodDirectory implements AutoCloseable {

  public static final String EXCLUDE = "fleetlens.io/exclude";
  public static final String EXCLUDE_CONTAINERS = "fleetlens.io/exclude-containers";
  private static final Logger LOG = LoggerFactory.getLogger(PodDirectory.class);

  private record Entry(KubePod pod, PodMetadata metadata, long lastSeenMillis) {
  }

  private final PodSource source;
  private final long refreshMillis;
  private final long forgetAfterMillis;
  private final Set<String> droppedAnnotations;
  private final Map<String, Entry> byUid = new ConcurrentHashMap<>();
  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
      runnable -> new Thread(runnable, "collector-pods"));
  private final AtomicBoolean refreshQueued = new AtomicBoolean();
  private final Counter failures;
  private volatile long lastRefreshMillis;
  private volatile long lastListedMillis;
  private volatile boolean everRefreshed;
  private volatile String lastError;

  public PodDirectory(PodSource source, long refreshMillis, long forgetAfterMillis,
      Collection<String> droppedAnnotations, MeterRegistry registry) {
    this.source = source;
    this.refreshMillis = refreshMillis;
    this.forgetAfterMillis = forgetAfterMillis;
    this.droppedAnnotations = Set.copyOf(droppedAnnotations);
    this.failures = Counter.builder("fleetlens.collector.kubelet.failures")
        .description("Failed reads of the kubelet's pod list").register(registry);
    Gauge.builder("fleetlens.collector.kubelet.pods", byUid, Map::size)
        .description("Pods whose metadata the collector holds").register(registry);
  }

  /** A directory that knows no pods, for a collector without a kubelet to ask. */
  public static PodDirectory none(MeterRegistry registry) {
    return new PodDirectory(null, 1, 1, Set.of(), registry);
  }

  public boolean enabled() {
    return source != null;
  }

  public PodDirectory start() {
    if (!enabled()) {
      return this;
    }
    executor.scheduleWithFixedDelay(this::refreshQuietly, 0, refreshMillis, TimeUnit.MILLISECONDS);
    return this;
  }

  /** Asks for a refresh soon (at most one waits at a time), e.g. because a new pod's file appeared. */
  public void requestRefresh() {
    if (enabled() && refreshQueued.compareAndSet(false, true)) {
      executor.execute(() -> {
        refreshQueued.set(false);
        if (System.currentTimeMillis() - lastRefreshMillis >= 1_000) {
          refreshQuietly();
        }
      });
    }
  }

  /** Reads the pod list once; public so tests and the first look at start-up can wait for it. */
  public void refresh() throws IOException, InterruptedException {
    List<KubePod> pods = source.fetch();
    long now = System.currentTimeMillis();
    for (KubePod pod : pods) {
      byUid.put(pod.uid(), new Entry(pod, metadata(pod), now));
    }
    lastListedMillis = now;
    byUid.values().removeIf(e -> now - e.lastSeenMillis() > forgetAfterMillis);
    lastRefreshMillis = now;
    everRefreshed = true;
    if (lastError != null) {
      LOG.info("kubelet pod list readable again: {} pods", pods.size());
      lastError = null;
    }
  }

  private void refreshQuietly() {
    try {
      refresh();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException | RuntimeException e) {
      failures.increment();
      String message = e.toString();
      if (!message.equals(lastError)) {
        LOG.warn("cannot read the kubelet's pod list, keeping the {} pods known: {}", byUid.size(), message);
      }
      lastError = message;
      lastRefreshMillis = System.currentTimeMillis();
    }
  }

  private PodMetadata metadata(KubePod pod) {
    Map<String, String> annotations = pod.annotations().entrySet().stream()
        .filter(e -> !droppedAnnotations.contains(e.getKey()))
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    return new PodMetadata(pod.labels(), annotations, pod.workload());
  }

  public Optional<KubePod> pod(String uid) {
    Entry entry = byUid.get(uid);
    return entry == null ? Optional.empty() : Optional.of(entry.pod());
  }

  public Optional<KubePod> pod(String namespace, String name) {
    return byUid.values().stream().map(Entry::pod)
        .filter(p -> p.namespace().equals(namespace) && p.name().equals(name)).findFirst();
  }

  /** The metadata of a pod, or {@link PodMetadata#UNKNOWN}. */
  public PodMetadata metadata(String uid) {
    Entry entry = byUid.get(uid);
    return entry == null ? PodMetadata.UNKNOWN : entry.metadata();
  }

  /** True when the pod's annotations opt this container out of collection. */
  public boolean excluded(String uid, String container) {
    Entry entry = byUid.get(uid);
    if (entry == null) {
      return false;
    }
    Map<String, String> annotations = entry.pod().annotations();
    if ("true".equalsIgnoreCase(annotations.getOrDefault(EXCLUDE, "").strip())) {
      return true;
    }
    String containers = annotations.get(EXCLUDE_CONTAINERS);
    return containers != null && Set.of(containers.replace(" ", "").split(",")).contains(container);
  }

  public boolean everRefreshed() {
    return everRefreshed;
  }

  /** The pods the kubelet listed the last time it answered (not the remembered, deleted ones). */
  public List<KubePod> listed() {
    long listed = lastListedMillis;
    return byUid.values().stream().filter(e -> e.lastSeenMillis() == listed).map(Entry::pod).toList();
  }

  @Override
  public void close() throws InterruptedException {
    executor.shutdownNow();
    executor.awaitTermination(10, TimeUnit.SECONDS);
  }
}
