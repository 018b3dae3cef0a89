package io.fleetlens.bench;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Collectors;

import io.fleetlens.collector.CollectorMain;

/**
 * The collector as its own JVM, as on a node: {@link CollectorMain} with a config file, its default
 * settings, and only its own jars on the class path.
 */
final class CollectorChild {

  /** The JVM settings collector/README.md recommends for a node, besides the heap. */
  static final List<String> RECOMMENDED_FLAGS = List.of("-XX:+UseSerialGC", "-XX:MaxHeapFreeRatio=30",
      "-XX:MinHeapFreeRatio=10", "-XX:ReservedCodeCacheSize=48m");

  private CollectorChild() {
  }

  /** Writes the collector's config under {@code dir} and returns the command that runs it. */
  static List<String> command(Path dir, Path pods, String kafka, String topic, String heap) throws IOException {
    Path config = writeConfig(dir, pods, kafka, topic);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-Xmx" + heap));
    command.addAll(RECOMMENDED_FLAGS);
    command.add("--enable-native-access=ALL-UNNAMED");
    if (Runtime.version().feature() >= 23) {
      command.add("--sun-misc-unsafe-memory-access=allow");
    }
    String extra = System.getProperty("bench.collector.jvm", "").strip();
    if (!extra.isEmpty()) {
      command.addAll(List.of(extra.split("\\s+"))); // e.g. a flight recording to profile the collector
    }
    command.addAll(List.of("-cp", classpath(), CollectorMain.class.getName(), "--config", config.toString()));
    return command;
  }

  /**
   * This JVM's environment without FLEETLENS_ variables, which would override the config file, and
   * without the default /var/log/containers source, which holds this machine's own containers if any.
   */
  static Map<String, String> environment() {
    Map<String, String> environment = new HashMap<>(System.getenv());
    environment.keySet().removeIf(name -> name.startsWith("FLEETLENS_"));
    environment.put("FLEETLENS_LOGS_CONTAINERS_DIR", "");
    environment.put("MALLOC_ARENA_MAX", "2"); // as recommended for a node: fewer glibc arenas, less resident memory
    return environment;
  }

  private static Path writeConfig(Path dir, Path pods, String kafka, String topic) throws IOException {
    Files.createDirectories(dir);
    return Files.writeString(dir.resolve("collector.yaml"), String.join("\n",
        "cluster: bench",
        "node: bench-node",
        "logs:",
        "  pods-dir: " + pods,
        "checkpoints:",
        "  dir: " + dir.resolve("checkpoints"),
        "kafka:",
        "  bootstrap-servers: " + kafka,
        "  topic: " + topic,
        "spool:",
        "  dir: " + dir.resolve("spool"),
        "http:",
        "  host: 127.0.0.1",
        "  port: 0",
        ""));
  }

  /**
   * The collector jar and the jars its manifest lists, picked from this JVM's class path, so the
   * child loads what a deployed collector loads. This JVM's whole class path when they are not all
   * there (the collector's classes in a folder, or other versions chosen for the bench).
   */
  static String classpath() {
    String all = System.getProperty("java.class.path");
    Path collectorJar = collectorJar();
    if (collectorJar == null) {
      return all;
    }
    Set<String> wanted = manifestJars(collectorJar);
    List<String> picked = Arrays.stream(all.split(File.pathSeparator))
        .filter(entry -> wanted.contains(Path.of(entry).getFileName().toString()))
        .distinct()
        .collect(Collectors.toCollection(ArrayList::new));
    if (wanted.isEmpty() || picked.size() != wanted.size()) {
      return all;
    }
    picked.addFirst(collectorJar.toString());
    return String.join(File.pathSeparator, picked);
  }

  private static Path collectorJar() {
    try {
      Path location = Path.of(CollectorMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return location.toString().endsWith(".jar") ? location : null;
    } catch (URISyntaxException e) {
      return null;
    }
  }

  private static Set<String> manifestJars(Path jar) {
    try (JarFile file = new JarFile(jar.toFile())) {
      var manifest = file.getManifest();
      String classPath = manifest == null ? null : manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
      return classPath == null ? Set.of() : Arrays.stream(classPath.trim().split("\\s+"))
          .map(entry -> Path.of(entry).getFileName().toString())
          .collect(Collectors.toSet());
    } catch (IOException e) {
      return Set.of();
    }
  }
}
