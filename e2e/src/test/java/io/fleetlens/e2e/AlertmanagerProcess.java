package io.fleetlens.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.fleetlens.devservers.FreePorts;

/** Debian's Alertmanager as a child process, on loopback, without clustering, routing everything to nobody. */
final class AlertmanagerProcess implements AutoCloseable {

  static final Path BINARY = Path.of("/usr/bin/prometheus-alertmanager");

  private final Process process;
  private final int port = FreePorts.next();

  AlertmanagerProcess(Path work) throws IOException, InterruptedException {
    Files.createDirectories(work);
    Path config = Files.writeString(work.resolve("alertmanager.yml"), String.join("\n",
        "route:",
        "  receiver: nobody",
        "  group_wait: 1s",
        "receivers:",
        "  - name: nobody",
        ""));
    process = new ProcessBuilder(BINARY.toString(), "--config.file=" + config,
        "--storage.path=" + work.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
        "--cluster.listen-address=")
        .redirectErrorStream(true).redirectOutput(work.resolve("alertmanager.log").toFile()).start();
    ChildProcesses.awaitReady(process, url() + "/-/ready", Duration.ofSeconds(60), "alertmanager",
        work.resolve("alertmanager.log"));
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  @Override
  public void close() throws InterruptedException {
    ChildProcesses.stop(process);
  }
}
