package io.fleetlens.charts;

import java.lang.reflect.Method;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;

/**
 * Checks a rendered object against the Kubernetes API schema of release 1.33, through the models
 * the official Java client generates from that release's OpenAPI document: each model's
 * {@code validateJsonElement} refuses unknown fields, missing required fields and wrong types,
 * recursively. The Prometheus Operator's kinds are not in that schema and are checked by the test.
 */
final class KubernetesSchema {

  private static final Map<String, String> MODELS = Map.ofEntries(
      Map.entry("v1/ServiceAccount", "V1ServiceAccount"),
      Map.entry("v1/ConfigMap", "V1ConfigMap"),
      Map.entry("v1/Service", "V1Service"),
      Map.entry("v1/Secret", "V1Secret"),
      Map.entry("apps/v1/Deployment", "V1Deployment"),
      Map.entry("apps/v1/DaemonSet", "V1DaemonSet"),
      Map.entry("autoscaling/v2/HorizontalPodAutoscaler", "V2HorizontalPodAutoscaler"),
      Map.entry("policy/v1/PodDisruptionBudget", "V1PodDisruptionBudget"),
      Map.entry("networking.k8s.io/v1/Ingress", "V1Ingress"),
      Map.entry("networking.k8s.io/v1/NetworkPolicy", "V1NetworkPolicy"),
      Map.entry("rbac.authorization.k8s.io/v1/ClusterRole", "V1ClusterRole"),
      Map.entry("rbac.authorization.k8s.io/v1/ClusterRoleBinding", "V1ClusterRoleBinding"),
      Map.entry("rbac.authorization.k8s.io/v1/Role", "V1Role"),
      Map.entry("rbac.authorization.k8s.io/v1/RoleBinding", "V1RoleBinding"),
      Map.entry("scheduling.k8s.io/v1/PriorityClass", "V1PriorityClass"));

  private KubernetesSchema() {
  }

  static boolean knows(JsonNode object) {
    return MODELS.containsKey(key(object));
  }

  /** Throws with the schema's complaint when the object is not valid. */
  static void validate(JsonNode object) throws Exception {
    String model = MODELS.get(key(object));
    if (model == null) {
      throw new IllegalArgumentException("not a Kubernetes 1.33 kind: " + key(object));
    }
    Class<?> type = Class.forName("io.kubernetes.client.openapi.models." + model);
    Method validate = type.getMethod("validateJsonElement", JsonElement.class);
    try {
      validate.invoke(null, JsonParser.parseString(object.toString()));
    } catch (java.lang.reflect.InvocationTargetException e) {
      throw new AssertionError(key(object) + " " + object.path("metadata").path("name").asText() + ": "
          + e.getCause().getMessage(), e.getCause());
    }
  }

  private static String key(JsonNode object) {
    return object.path("apiVersion").asText() + "/" + object.path("kind").asText();
  }
}
