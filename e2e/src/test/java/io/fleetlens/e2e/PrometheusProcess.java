package io.fleetlens.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.fleetlens.devservers.FreePorts;

/**
 * Debian's Prometheus as a child process: scrapes itself every second, with an external
 * {@code cluster} label, and optionally remote-writes everything to a URL.
 */
final class PrometheusProcess implements AutoCloseable {

  static final Path BINARY = Path.of("/usr/bin/prometheus");

  private final Process process;
  private final int port;

  PrometheusProcess(Path work, String cluster, String remoteWriteUrl) throws IOException, InterruptedException {
    this(work, cluster, null, remoteWriteUrl);
  }

  /** With {@code replica} set, also the external label {@code replica}, as an HA pair member has. */
  PrometheusProcess(Path work, String cluster, String replica, String remoteWriteUrl)
      throws IOException, InterruptedException {
    this(work, cluster, replica, remoteWriteUrl, null);
  }

  /** With {@code passwordFile} set, remote writes authenticate with basic_auth: user name the cluster, password from the file. */
  PrometheusProcess(Path work, String cluster, String replica, String remoteWriteUrl, Path passwordFile)
      throws IOException, InterruptedException {
    Files.createDirectories(work);
    this.port = FreePorts.next();
    String config = String.join("\n",
        "global:",
        "  scrape_interval: 1s",
        "  evaluation_interval: 1s",
        "  external_labels:",
        "    cluster: " + cluster,
        replica == null ? "" : "    replica: " + replica,
        "scrape_configs:",
        "  - job_name: prometheus",
        "    static_configs:",
        "      - targets: ['127.0.0.1:" + port + "']",
        remoteWriteUrl == null ? "" : String.join("\n",
            "remote_write:",
            "  - url: " + remoteWriteUrl,
            passwordFile == null ? "" : "    basic_auth: {username: " + cluster + ", password_file: " + passwordFile + "}",
            "    queue_config:",
            "      batch_send_deadline: 1s",
            "      min_backoff: 100ms",
            "      max_backoff: 1s",
            "    metadata_config:",
            "      send_interval: 2s"),
        "");
    Path file = Files.writeString(work.resolve("prometheus.yml"), config);
    process = new ProcessBuilder(BINARY.toString(), "--config.file=" + file,
        "--storage.tsdb.path=" + work.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
        .redirectErrorStream(true).redirectOutput(work.resolve("prometheus.log").toFile()).start();
    ChildProcesses.awaitReady(process, url() + "/-/ready", Duration.ofSeconds(60), "Prometheus",
        work.resolve("prometheus.log"));
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    process.waitFor();
  }
}
