package io.fleetlens.collector.scrape;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.fleetlens.collector.kube.KubePod;

/**
 * Scrape targets from pod annotations, the convention Prometheus' example configuration made
 * common: {@code prometheus.io/scrape: "true"} opts a pod in; {@code prometheus.io/port} picks the
 * port (without it, every port its containers declare is a target), {@code prometheus.io/path}
 * the path ({@code /metrics}), {@code prometheus.io/scheme} {@code http} or {@code https}. Each
 * target is labelled with cluster, node, namespace, pod, container (the one declaring the port),
 * {@code job="kubernetes-pods"} and {@code instance="<pod IP>:<port>"}.
 */
public final class PodTargets {

  public static final String JOB = "kubernetes-pods";

  private PodTargets() {
  }

  public static List<ScrapeTarget> of(List<KubePod> pods, Map<String, String> common) {
    List<ScrapeTarget> targets = new ArrayList<>();
    for (KubePod pod : pods) {
      Map<String, String> a = pod.annotations();
      if (!"true".equalsIgnoreCase(a.getOrDefault("prometheus.io/scrape", "").strip()) || pod.podIp().isBlank()) {
        continue;
      }
      String scheme = a.getOrDefault("prometheus.io/scheme", "http").strip().toLowerCase();
      String path = a.getOrDefault("prometheus.io/path", "/metrics").strip();
      for (Map.Entry<Integer, String> port : ports(pod).entrySet()) {
        Map<String, String> labels = new TreeMap<>(common);
        labels.put("namespace", pod.namespace());
        labels.put("pod", pod.name());
        if (pod.workload() != null) {
          labels.put("workload_kind", pod.workload().kind());
          labels.put("workload", pod.workload().name());
        }
        if (port.getValue() != null) {
          labels.put("container", port.getValue());
        }
        labels.put("job", JOB);
        String instance = hostPort(pod.podIp(), port.getKey());
        labels.put("instance", instance);
        targets.add(new ScrapeTarget(URI.create(scheme + "://" + instance + (path.startsWith("/") ? "" : "/") + path),
            labels));
      }
    }
    return targets;
  }

  /** Port to the container declaring it (null when no container declares it). */
  private static Map<Integer, String> ports(KubePod pod) {
    Map<Integer, String> declared = new LinkedHashMap<>();
    for (KubePod.KubeContainer container : pod.containers()) {
      container.ports().forEach(p -> declared.putIfAbsent(p, container.name()));
    }
    String annotated = pod.annotations().get("prometheus.io/port");
    if (annotated == null || annotated.isBlank()) {
      return declared;
    }
    try {
      int port = Integer.parseInt(annotated.strip());
      Map<Integer, String> one = new LinkedHashMap<>();
      one.put(port, declared.get(port));
      return one;
    } catch (NumberFormatException e) {
      return Map.of();
    }
  }

  private static String hostPort(String ip, int port) {
    return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + port;
  }
}
