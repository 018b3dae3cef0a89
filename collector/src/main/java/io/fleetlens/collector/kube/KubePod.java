package io.fleetlens.collector.kube;

import java.util.List;
import java.util.Map;

import io.fleetlens.core.pods.Workload;

/** What the collector uses of one pod the kubelet runs. */
public record KubePod(String uid, String namespace, String name, String nodeName, String podIp, String phase,
    Map<String, String> labels, Map<String, String> annotations, Workload workload, String qosClass,
    List<KubeContainer> containers) {

  /** One container: its id in the runtime (without the {@code containerd://} scheme) and resources. */
  public record KubeContainer(String name, String containerId, Map<String, Double> requests,
      Map<String, Double> limits, List<Integer> ports) {
  }

  /** Pods whose containers all ended ({@code Succeeded}, {@code Failed}) hold no resources. */
  public boolean finished() {
    return phase.equals("Succeeded") || phase.equals("Failed");
  }

  public KubePod {
    labels = Map.copyOf(labels);
    annotations = Map.copyOf(annotations);
    containers = List.copyOf(containers);
  }
}
