package io.fleetlens.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

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
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (true) {
      try {
        if (Http.get(url() + "/-/ready").status() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // starting
      }
      if (!process.isAlive() || Instant.now().isAfter(deadline)) {
        throw new IOException("alertmanager did not start; see " + work.resolve("alertmanager.log"));
      }
      Thread.sleep(200);
    }
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
