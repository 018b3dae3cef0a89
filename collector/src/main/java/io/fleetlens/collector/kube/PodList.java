package io.fleetlens.collector.kube;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fleetlens.core.pods.Workload;

/**
 * Reads a {@code v1 PodList}, as the kubelet's {@code /pods} endpoint returns it, into
 * {@link KubePod}s. The owner becomes the workload a person means: a ReplicaSet named
 * {@code <deployment>-<pod-template-hash>} is its Deployment's, a Job named
 * {@code <cronjob>-<scheduled minute>} is its CronJob's (the kubelet shows only the first owner, so
 * these two steps follow Kubernetes' naming rules rather than asking the API server).
 */
public final class PodList {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern CRONJOB_JOB = Pattern.compile("(.+)-\\d{8,}");

  private PodList() {
  }

  public static List<KubePod> parse(byte[] body) throws IOException {
    JsonNode root = JSON.readTree(body);
    if (root == null || !root.path("items").isArray()) {
      throw new IOException("not a PodList: no items");
    }
    List<KubePod> pods = new ArrayList<>();
    for (JsonNode item : root.path("items")) {
      JsonNode meta = item.path("metadata");
      if (!meta.hasNonNull("uid") || !meta.hasNonNull("name")) {
        continue;
      }
      Map<String, String> labels = strings(meta.path("labels"));
      pods.add(new KubePod(meta.path("uid").asText(), meta.path("namespace").asText("default"),
          meta.path("name").asText(), item.path("spec").path("nodeName").asText(""),
          item.path("status").path("podIP").asText(""), item.path("status").path("phase").asText(""), labels, strings(meta.path("annotations")),
          workload(meta, labels), item.path("status").path("qosClass").asText(""), containers(item)));
    }
    return pods;
  }

  static Workload workload(JsonNode meta, Map<String, String> labels) {
    JsonNode controller = null;
    for (JsonNode owner : meta.path("ownerReferences")) {
      if (controller == null || owner.path("controller").asBoolean(false)) {
        controller = owner;
      }
    }
    if (controller == null) {
      return new Workload("Pod", meta.path("name").asText());
    }
    String kind = controller.path("kind").asText();
    String name = controller.path("name").asText();
    String hash = labels.get("pod-template-hash");
    if (kind.equals("ReplicaSet") && hash != null && name.endsWith("-" + hash)) {
      return new Workload("Deployment", name.substring(0, name.length() - hash.length() - 1));
    }
    if (kind.equals("Job")) {
      var cron = CRONJOB_JOB.matcher(name);
      if (cron.matches()) {
        return new Workload("CronJob", cron.group(1));
      }
    }
    return new Workload(kind, name);
  }

  private static List<KubePod.KubeContainer> containers(JsonNode pod) {
    Map<String, String> ids = new HashMap<>();
    for (String statuses : new String[] {"containerStatuses", "initContainerStatuses"}) {
      for (JsonNode status : pod.path("status").path(statuses)) {
        String id = status.path("containerID").asText("");
        int scheme = id.indexOf("://");
        ids.put(status.path("name").asText(), scheme >= 0 ? id.substring(scheme + 3) : id);
      }
    }
    List<KubePod.KubeContainer> containers = new ArrayList<>();
    for (String kind : new String[] {"containers", "initContainers"}) {
      for (JsonNode container : pod.path("spec").path(kind)) {
        String name = container.path("name").asText();
        List<Integer> ports = new ArrayList<>();
        container.path("ports").forEach(p -> ports.add(p.path("containerPort").asInt()));
        containers.add(new KubePod.KubeContainer(name, ids.getOrDefault(name, ""),
            quantities(container.path("resources").path("requests")),
            quantities(container.path("resources").path("limits")), ports));
      }
    }
    return containers;
  }

  /** Resource quantities (cores, bytes) of a {@code requests}, {@code capacity}, ... object. */
  static Map<String, Double> quantities(JsonNode node) {
    Map<String, Double> values = new LinkedHashMap<>();
    node.fields().forEachRemaining(e -> {
      try {
        values.put(e.getKey(), Quantity.parse(e.getValue().asText()));
      } catch (IllegalArgumentException ignored) {
        // a quantity we cannot read is left out rather than failing the whole pod
      }
    });
    return values;
  }

  private static Map<String, String> strings(JsonNode node) {
    Map<String, String> values = new LinkedHashMap<>();
    node.fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().asText()));
    return values;
  }
}
