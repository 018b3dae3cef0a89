package io.fleetlens.collector;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.fleetlens.transport.kafka.Topics;
import io.fleetlens.runtime.ConfigLoader;

/** The collector's configuration; keys, defaults and variables are listed in collector/README.md. */
public record CollectorConfig(String cluster, String node, Logs logs, Multiline multiline, Checkpoints checkpoints,
    Kafka kafka, Spool spool, Kubelet kubelet, Scrape scrape, NodeMetrics nodeMetrics, Http http) {

  /**
   * Container and node resources: cgroup v2 under {@code cgroupRoot}, capacity from {@code procRoot},
   * the Node from the API server ({@code apiServerUrl}, else the in-cluster address when there is one).
   */
  public record NodeMetrics(boolean enabled, String cgroupRoot, String procRoot, String apiServerUrl) {
  }

  /** Where pod metadata comes from; an empty url turns metadata and pod discovery off. */
  public record Kubelet(String url, String tokenFile, String caFile, boolean insecureSkipTlsVerify, long timeoutMs,
      long refreshMs, long forgetAfterMs, long waitForNewPodMs, List<String> dropAnnotations) {

    public boolean enabled() {
      return url != null && !url.isBlank();
    }
  }

  /** Static scrape targets, each {@code <job>=<url>}, and whether annotated pods are scraped too. */
  public record Scrape(List<String> targets, boolean annotatedPods, long intervalMs, long timeoutMs) {
  }

  public record Spool(String dir, long maxBytes, long segmentBytes) {
  }

  public record Logs(String podsDir, String containersDir, List<String> include, List<String> exclude, int maxLineBytes,
      long scanIntervalMs) {
  }

  public record Multiline(boolean enabled, List<String> startPatterns, long flushMs) {
  }

  public record Checkpoints(String dir, long intervalMs) {
  }

  /** Where records go; client TLS and SASL settings come from {@code clientPropertiesFile}, a Secret. */
  public record Kafka(String bootstrapServers, String topic, String metricsTopic, int maxUnackedRecords,
      String clientPropertiesFile) {

    public Kafka {
      clientPropertiesFile = clientPropertiesFile == null ? "" : clientPropertiesFile;
      topic = Topics.or(topic, Topics.LOGS);
      metricsTopic = Topics.or(metricsTopic, Topics.METRICS);
    }

    public Kafka(String bootstrapServers, String topic, String metricsTopic, int maxUnackedRecords) {
      this(bootstrapServers, topic, metricsTopic, maxUnackedRecords, "");
    }

    /** The cluster with its security settings (the properties file is read here). */
    public io.fleetlens.transport.kafka.KafkaCluster cluster() {
      return io.fleetlens.transport.kafka.KafkaCluster.of(bootstrapServers, clientPropertiesFile);
    }
  }

  /** The listener; with {@code tls.key-store-file} set, HTTPS only (and mutual TLS with {@code tls.client-ca-file}). */
  public record Http(String host, int port, io.fleetlens.runtime.Tls tls) {

    public Http {
      tls = tls == null ? io.fleetlens.runtime.Tls.OFF : tls;
    }

    public Http(String host, int port) {
      this(host, port, io.fleetlens.runtime.Tls.OFF);
    }
  }

  public static CollectorConfig load(Path file, Map<String, String> env) {
    return ConfigLoader.load(CollectorConfig.class, "collector-defaults.yaml", file, env);
  }

  /** The node name from the configuration, else this machine's host name. */
  public String nodeName() {
    if (node != null && !node.isBlank()) {
      return node;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "unknown-node";
    }
  }
}
