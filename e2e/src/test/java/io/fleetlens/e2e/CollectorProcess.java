package io.fleetlens.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.fleetlens.collector.CollectorMain;
import io.fleetlens.devservers.FreePorts;

/** The collector as its own JVM, as on a node, so a test can kill it with SIGKILL. */
final class CollectorProcess implements AutoCloseable {

  private final Path config;
  private final Path output;
  private final int port = FreePorts.next();
  private String heap = "256m";
  private Process process;

  CollectorProcess(Path workDir, String cluster, String kafka, String topic, Path podsDir, int maxLineBytes)
      throws IOException {
    Files.createDirectories(workDir);
    this.config = workDir.resolve("collector.yaml");
    this.output = workDir.resolve("collector.out");
    Files.writeString(config, String.join("\n",
        "cluster: " + cluster,
        "node: node-a",
        "logs:",
        "  pods-dir: " + podsDir,
        "  containers-dir: \"\"",
        "  max-line-bytes: " + maxLineBytes,
        "  scan-interval-ms: 200",
        "checkpoints:",
        "  dir: " + workDir.resolve("checkpoints"),
        "  interval-ms: 200",
        "kafka:",
        "  bootstrap-servers: " + kafka,
        "  topic: " + topic,
        "  metrics-topic: " + topic.replaceAll("\\.logs$", "") + ".metrics",
        "spool:",
        "  dir: " + workDir.resolve("spool"),
        "http:",
        "  host: 127.0.0.1",
        "  port: " + port,
        ""));
  }

  /**
   * Has the collector scrape these targets ({@code <job>=<url>}) and its own {@code /metrics}
   * ({@code fleetlens-collector}) every second; call before {@link #start()}.
   */
  CollectorProcess scraping(List<String> targets) throws IOException {
    List<String> all = new ArrayList<>(targets);
    all.add("fleetlens-collector=http://127.0.0.1:" + port + "/metrics");
    StringBuilder yaml = new StringBuilder("scrape:\n  interval-ms: 1000\n  targets:\n");
    all.forEach(t -> yaml.append("    - \"").append(t).append("\"\n"));
    Files.writeString(config, yaml, java.nio.file.StandardOpenOption.APPEND);
    return this;
  }

  CollectorProcess start() throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-Xmx" + heap, "-XX:+UseSerialGC",
        "--enable-native-access=ALL-UNNAMED"));
    if (Runtime.version().feature() >= 23) {
      command.add("--sun-misc-unsafe-memory-access=allow");
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), CollectorMain.class.getName(),
        "--config", config.toString()));
    process = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
        .start();
    return this;
  }

  /** Sets the collector's maximum heap, such as {@code 128m}. */
  CollectorProcess heap(String size) {
    heap = size;
    return this;
  }

  /** Resident memory of the collector process now, from /proc. */
  long residentBytes() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
      }
    }
    return 0;
  }

  String metricsUrl() {
    return "http://127.0.0.1:" + port + "/metrics";
  }

  String output() throws IOException {
    return Files.readString(output);
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed. */
  void kill() throws InterruptedException {
    ChildProcesses.kill(process);
  }

  @Override
  public void close() throws InterruptedException {
    ChildProcesses.stop(process);
  }
}
