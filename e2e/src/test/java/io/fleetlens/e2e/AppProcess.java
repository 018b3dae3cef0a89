package io.fleetlens.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.fleetlens.devservers.FreePorts;

/**
 * An app (the query API, the aggregator) as its own JVM, as a replica among others, so a test can
 * kill it with SIGKILL and start another.
 */
final class AppProcess implements AutoCloseable {

  private final String name;
  private final Path output;
  private final List<String> command = new ArrayList<>();
  private final int port = FreePorts.next();
  private Process process;

  /** {@code main} is the app's main class; {@code yaml} its configuration without {@code http}; this adds the port. */
  AppProcess(Path workDir, String name, Class<?> main, String yaml) throws IOException {
    this.name = name;
    Files.createDirectories(workDir);
    Path config = Files.writeString(workDir.resolve(name + ".yaml"),
        yaml + "\nhttp:\n  host: 127.0.0.1\n  port: " + port + "\n");
    this.output = workDir.resolve(name + ".out");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    command.addAll(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED"));
    if (Runtime.version().feature() >= 23) {
      command.add("--sun-misc-unsafe-memory-access=allow");
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName(),
        "--config", config.toString()));
  }

  /** Starts the JVM and waits until its HTTP API answers. */
  AppProcess start() throws IOException, InterruptedException {
    process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile())).start();
    ChildProcesses.awaitReady(process, url() + "/healthz", Duration.ofSeconds(90), name, output);
    return this;
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  /** SIGKILL: no shutdown hook runs, the lease is not given back. */
  void kill() throws InterruptedException {
    ChildProcesses.kill(process);
  }

  @Override
  public void close() throws InterruptedException {
    ChildProcesses.stop(process);
  }
}
