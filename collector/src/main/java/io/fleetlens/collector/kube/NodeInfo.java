package io.fleetlens.collector.kube;

import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What the API server says about this node: its labels (instance type, region, zone) and its
 * capacity and allocatable resources (cores, bytes), from {@code GET /api/v1/nodes/<name>}.
 */
public record NodeInfo(Map<String, String> labels, Map<String, Double> capacity, Map<String, Double> allocatable) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public static NodeInfo fetch(KubeHttp http, URI apiServer, String node) throws IOException, InterruptedException {
    return parse(http.get(apiServer.resolve("/api/v1/nodes/" + node)));
  }

  public static NodeInfo parse(byte[] body) throws IOException {
    JsonNode root = JSON.readTree(body);
    if (root == null || !"Node".equals(root.path("kind").asText())) {
      throw new IOException("not a Node");
    }
    Map<String, String> labels = new LinkedHashMap<>();
    root.path("metadata").path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    return new NodeInfo(labels, PodList.quantities(root.path("status").path("capacity")),
        PodList.quantities(root.path("status").path("allocatable")));
  }
}
