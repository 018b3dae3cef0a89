package io.fleetlens.charts;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;

/** The chart rendered by the real Helm library (helm-java), as objects. */
final class RenderedChart {

  static final Path CHART = Path.of("fleetlens").toAbsolutePath();
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  final List<JsonNode> objects;

  private RenderedChart(List<JsonNode> objects) {
    this.objects = objects;
  }

  /** Renders release {@code fleetlens} in namespace {@code observability} with these values files and settings. */
  static RenderedChart render(List<Path> valuesFiles, Map<String, String> set) throws Exception {
    TemplateCommand template = new Helm(CHART).template().withName("fleetlens").withNamespace("observability");
    for (Path file : valuesFiles) {
      template = template.withValuesFile(file);
    }
    for (Map.Entry<String, String> e : set.entrySet()) {
      template = template.set(e.getKey(), e.getValue());
    }
    String manifest = template.call();
    List<JsonNode> objects = new ArrayList<>();
    for (String doc : manifest.split("(?m)^---\\s*$")) {
      JsonNode node = YAML.readTree(doc);
      if (node != null && !node.isNull() && !node.isMissingNode() && node.has("kind")) {
        objects.add(node);
      }
    }
    return new RenderedChart(objects);
  }

  /**
   * The hooks of an install with these settings ({@code helm template} leaves hooks out): the
   * objects Helm makes once, before the first install, from a client-side dry run.
   */
  static List<JsonNode> installHooks(Map<String, String> set) throws Exception {
    com.marcnuri.helm.InstallCommand install = new Helm(CHART).install().withName("fleetlens")
        .withNamespace("observability").dryRun().withDryRunOption(com.marcnuri.helm.DryRun.CLIENT);
    for (Map.Entry<String, String> e : set.entrySet()) {
      install = install.set(e.getKey(), e.getValue());
    }
    String output = install.call().getOutput();
    int hooks = output.indexOf("HOOKS:");
    int manifest = output.indexOf("MANIFEST:");
    if (hooks < 0 || manifest < hooks) {
      throw new IllegalStateException("no HOOKS section in Helm's dry run:\n" + output);
    }
    List<JsonNode> objects = new ArrayList<>();
    for (String doc : output.substring(hooks + 6, manifest).split("(?m)^---\\s*$")) {
      JsonNode node = YAML.readTree(doc);
      if (node != null && !node.isNull() && !node.isMissingNode() && node.has("kind")) {
        objects.add(node);
      }
    }
    return objects;
  }

  static Path resource(String name) throws Exception {
    return Path.of(RenderedChart.class.getResource("/" + name).toURI());
  }

  List<JsonNode> ofKind(String kind) {
    return objects.stream().filter(o -> o.path("kind").asText().equals(kind)).toList();
  }

  Optional<JsonNode> named(String kind, String name) {
    return ofKind(kind).stream().filter(o -> o.path("metadata").path("name").asText().equals(name)).findFirst();
  }

  /** The pod templates of every workload (Deployments and DaemonSets). */
  List<JsonNode> workloads() {
    List<JsonNode> out = new ArrayList<>(ofKind("Deployment"));
    out.addAll(ofKind("DaemonSet"));
    return out;
  }

  /** A ConfigMap's file, written to disk so an app's own loader can read it. */
  Path configFile(String configMap, String key, Path dir) throws Exception {
    String text = named("ConfigMap", configMap).orElseThrow().path("data").path(key).asText();
    return Files.writeString(dir.resolve(key), text);
  }
}
