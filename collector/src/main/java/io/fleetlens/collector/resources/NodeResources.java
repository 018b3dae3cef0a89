package io.fleetlens.collector.resources;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fleetlens.collector.kube.KubePod;
import io.fleetlens.collector.kube.NodeInfo;
import io.fleetlens.collector.kube.PodDirectory;
import io.fleetlens.collector.scrape.SampleSource;
import io.fleetlens.core.metrics.Sample;

/**
 * The node's and its containers' resources as samples, named as cAdvisor and kube-state-metrics
 * name them so existing queries and dashboards work: container CPU, memory and throttling from
 * cgroup v2; requests and limits of the kubelet's pods; the node's capacity (from {@code /proc}, or
 * from the API server's Node with its allocatable resources) and labels such as its instance type.
 */
public final class NodeResources implements SampleSource {

  private static final Logger LOG = LoggerFactory.getLogger(NodeResources.class);
  private static final long NODE_REFRESH_MILLIS = 300_000;
  private static final List<String> NODE_LABELS = List.of("node.kubernetes.io/instance-type",
      "beta.kubernetes.io/instance-type", "topology.kubernetes.io/region", "topology.kubernetes.io/zone",
      "kubernetes.io/arch", "kubernetes.io/os", "eks.amazonaws.com/capacityType", "karpenter.sh/capacity-type",
      "cloud.google.com/gke-spot", "kubernetes.azure.com/scalesetpriority");

  private final Path cgroupRoot;
  private final Path procRoot;
  private final PodDirectory pods;
  private final Callable<NodeInfo> nodeInfo;
  private final Map<String, String> common;
  private NodeInfo node;
  private long nodeFetchedMillis;
  private String lastError;

  /** {@code nodeInfo} may be null: then capacity comes from {@code /proc} and no node labels are known. */
  public NodeResources(Path cgroupRoot, Path procRoot, PodDirectory pods, Callable<NodeInfo> nodeInfo,
      Map<String, String> common) {
    this.cgroupRoot = cgroupRoot;
    this.procRoot = procRoot;
    this.pods = pods;
    this.nodeInfo = nodeInfo;
    this.common = Map.copyOf(common);
  }

  @Override
  public List<Sample> collect(long now) {
    List<Sample> samples = new ArrayList<>();
    containers(now, samples);
    requestsAndLimits(now, samples);
    node(now, samples);
    return samples;
  }

  private void containers(long now, List<Sample> samples) {
    Map<String, Map<String, String>> byId = new HashMap<>();
    for (KubePod pod : pods.listed()) {
      for (KubePod.KubeContainer c : pod.containers()) {
        if (!c.containerId().isEmpty()) {
          byId.put(c.containerId(), containerLabels(pod, c));
        }
      }
    }
    List<PodCgroups.Found> found;
    try {
      found = PodCgroups.find(cgroupRoot);
    } catch (IOException e) {
      warnOnce("cannot list container cgroups under " + cgroupRoot + ": " + e.getMessage());
      return;
    }
    for (PodCgroups.Found cgroup : found) {
      Map<String, String> labels = byId.get(cgroup.containerId());
      if (labels == null) {
        continue; // the pod sandbox ("pause"), or a container the kubelet has not reported yet
      }
      CgroupStats stats;
      try {
        stats = CgroupStats.read(cgroup.dir());
      } catch (IOException | RuntimeException e) {
        continue; // the container ended between listing and reading
      }
      samples.add(sample("container_cpu_usage_seconds_total", labels, now, stats.cpuSeconds()));
      samples.add(sample("container_memory_working_set_bytes", labels, now, stats.workingSetBytes()));
      samples.add(sample("container_memory_usage_bytes", labels, now, stats.memoryBytes()));
      samples.add(sample("container_cpu_cfs_periods_total", labels, now, stats.periods()));
      samples.add(sample("container_cpu_cfs_throttled_periods_total", labels, now, stats.throttledPeriods()));
      samples.add(sample("container_cpu_cfs_throttled_seconds_total", labels, now, stats.throttledSeconds()));
    }
  }

  private void requestsAndLimits(long now, List<Sample> samples) {
    for (KubePod pod : pods.listed()) {
      if (pod.finished()) {
        continue;
      }
      samples.add(sample("kube_pod_labels", podLabels(pod, "label_", pod.labels()), now, 1));
      samples.add(sample("kube_pod_annotations", podLabels(pod, "annotation_", pod.annotations()), now, 1));
      for (KubePod.KubeContainer c : pod.containers()) {
        resources("kube_pod_container_resource_requests", pod, c, c.requests(), now, samples);
        resources("kube_pod_container_resource_limits", pod, c, c.limits(), now, samples);
      }
    }
  }

  private void resources(String name, KubePod pod, KubePod.KubeContainer c, Map<String, Double> values, long now,
      List<Sample> samples) {
    values.forEach((resource, value) -> {
      Map<String, String> labels = containerLabels(pod, c);
      labels.put("resource", resource);
      labels.put("unit", unit(resource));
      samples.add(sample(name, labels, now, value));
    });
  }

  /**
   * A pod's own labels or annotations as Prometheus labels, as kube-state-metrics names them:
   * {@code label_app_kubernetes_io_name} for {@code app.kubernetes.io/name}; values over 256
   * characters (last-applied configurations and the like) are left out.
   */
  private Map<String, String> podLabels(KubePod pod, String prefix, Map<String, String> own) {
    Map<String, String> labels = labels("namespace", pod.namespace(), "pod", pod.name());
    own.forEach((name, value) -> {
      if (value.length() <= 256) {
        labels.putIfAbsent(prefix + name.replaceAll("[^a-zA-Z0-9_]", "_"), value);
      }
    });
    return labels;
  }

  /** The node's common labels, the container's namespace, pod and name, and its pod's workload. */
  private Map<String, String> containerLabels(KubePod pod, KubePod.KubeContainer c) {
    Map<String, String> labels = labels("namespace", pod.namespace(), "pod", pod.name(), "container", c.name());
    if (pod.workload() != null) {
      labels.put("workload_kind", pod.workload().kind());
      labels.put("workload", pod.workload().name());
    }
    return labels;
  }

  private void node(long now, List<Sample> samples) {
    refreshNode(now);
    Map<String, Double> capacity = new TreeMap<>();
    capacity.put("cpu", (double) cpuCount());
    capacity.put("memory", memTotalBytes());
    if (node != null) {
      capacity.putAll(node.capacity());
      node.allocatable().forEach((resource, value) -> samples.add(sample("kube_node_status_allocatable",
          labels("resource", resource, "unit", unit(resource)), now, value)));
      Map<String, String> labels = new TreeMap<>();
      for (String label : NODE_LABELS) {
        String value = node.labels().get(label);
        if (value != null) {
          labels.put("label_" + label.replaceAll("[^a-zA-Z0-9_]", "_"), value);
        }
      }
      samples.add(sample("kube_node_labels", labels(labels), now, 1));
    }
    capacity.forEach((resource, value) -> {
      if (value > 0) {
        samples.add(sample("kube_node_status_capacity", labels("resource", resource, "unit", unit(resource)), now,
            value));
      }
    });
  }

  private void refreshNode(long now) {
    long wait = node == null ? 30_000 : NODE_REFRESH_MILLIS;
    if (nodeInfo == null || nodeFetchedMillis != 0 && now - nodeFetchedMillis < wait) {
      return;
    }
    nodeFetchedMillis = now;
    try {
      node = nodeInfo.call();
      lastError = null;
    } catch (Exception e) {
      warnOnce("cannot read this node from the API server, keeping what was known: " + e);
    }
  }

  private int cpuCount() {
    try {
      return (int) Files.readAllLines(procRoot.resolve("cpuinfo")).stream().filter(l -> l.startsWith("processor")).count();
    } catch (IOException e) {
      return 0;
    }
  }

  private double memTotalBytes() {
    try {
      for (String line : Files.readAllLines(procRoot.resolve("meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024.0;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // no capacity from /proc; the Node's, when known, stands
    }
    return 0;
  }

  private static String unit(String resource) {
    return switch (resource) {
      case "cpu" -> "core";
      case "memory", "ephemeral-storage" -> "byte";
      default -> resource.startsWith("hugepages-") ? "byte" : "integer";
    };
  }

  private Map<String, String> labels(String... keyValues) {
    Map<String, String> labels = new TreeMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      labels.put(keyValues[i], keyValues[i + 1]);
    }
    return labels(labels);
  }

  private Map<String, String> labels(Map<String, String> own) {
    Map<String, String> labels = new TreeMap<>(common);
    labels.putAll(own);
    return labels;
  }

  private static Sample sample(String name, Map<String, String> labels, long now, double value) {
    return new Sample(name, new TreeMap<>(labels), now, value);
  }

  private void warnOnce(String message) {
    if (!message.equals(lastError)) {
      LOG.warn(message);
      lastError = message;
    }
  }

  @Override
  public String toString() {
    return "node resources";
  }
}
