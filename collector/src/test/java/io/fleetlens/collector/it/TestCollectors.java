package io.fleetlens.collector.it;

import java.nio.file.Path;
import java.util.List;

import io.fleetlens.collector.CollectorConfig;
import io.fleetlens.transport.kafka.TopicProvisioner;
import io.fleetlens.testkit.KafkaFixture;

/** The configuration the collector tests run with: everything under one work folder, quick intervals. */
final class TestCollectors {

  static final int MAX_LINE_BYTES = 64 * 1024;

  private TestCollectors() {
  }

  /** Cluster {@code name}, topics {@code <name>.logs} and {@code <name>.metrics}, pods under {@code work/pods}. */
  static CollectorConfig config(String name, Path work, KafkaFixture kafka, List<String> scrapeTargets) {
    return config(name, work, kafka, scrapeTargets, kubelet("", null, null));
  }

  /** Pod metadata from the kubelet at {@code url}, checked against {@code caFile}; an empty url: none. */
  static CollectorConfig.Kubelet kubelet(String url, Path tokenFile, Path caFile) {
    return new CollectorConfig.Kubelet(url, tokenFile == null ? "" : tokenFile.toString(),
        caFile == null ? "" : caFile.toString(), false, 5_000, 500, 3_600_000, 3_000,
        List.of("kubectl.kubernetes.io/last-applied-configuration"));
  }

  /**
   * The same, with pod metadata from a kubelet. The topics are created first, as the aggregator
   * creates them in a deployment: a topic created by the broker on first use can make an idempotent
   * producer's first batches fail with out-of-order sequence errors.
   */
  static CollectorConfig config(String name, Path work, KafkaFixture kafka, List<String> scrapeTargets,
      CollectorConfig.Kubelet kubelet) {
    try {
      TopicProvisioner.ensure(kafka.bootstrapServers(), List.of(name + ".logs", name + ".metrics"), 3, (short) 1);
    } catch (Exception e) {
      throw new IllegalStateException("cannot create the test topics: " + e.getMessage(), e);
    }
    return new CollectorConfig(name, "node-a",
        new CollectorConfig.Logs(work.resolve("pods").toString(), work.resolve("containers").toString(),
            List.of("*/*/*"), List.of(), MAX_LINE_BYTES, 100),
        new CollectorConfig.Multiline(true, List.of(), 200),
        new CollectorConfig.Checkpoints(work.resolve("state").toString(), 200),
        new CollectorConfig.Kafka(kafka.bootstrapServers(), name + ".logs", name + ".metrics", 20_000),
        new CollectorConfig.Spool(work.resolve("spool").toString(), 256L << 20, 16L << 20),
        kubelet,
        new CollectorConfig.Scrape(scrapeTargets, false, 60_000, 10_000),
        new CollectorConfig.NodeMetrics(false, "/sys/fs/cgroup", "/proc", ""),
        new CollectorConfig.Http("127.0.0.1", 0));
  }
}
