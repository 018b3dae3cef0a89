package io.fleetlens.devservers;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node of the real Elasticsearch server, run from the Maven-resolved distribution as a child
 * process on loopback. Elasticsearch refuses to run as root, so when this JVM is root the node runs
 * as an unprivileged uid through {@code setpriv} ({@link Unprivileged}). It can be stopped and
 * started again on the same port with the same data, which is how outages are rehearsed.
 */
public final class LocalElasticsearch implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LocalElasticsearch.class);

  private final Path home;
  private final Path nodeDir;
  private final int httpPort;
  private final int transportPort;
  private final String heap;
  private final String nodeName;
  private final Membership membership;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Thread reaper = new Thread(this::kill, "elasticsearch-reaper");
  private Process process;

  /** A node of a cluster of several: the cluster's name, its master-eligible nodes and their transport ports. */
  record Membership(String clusterName, List<String> nodeNames, List<Integer> transportPorts) {
  }

  private LocalElasticsearch(Path home, Path nodeDir, String heap, int httpPort, int transportPort, String nodeName,
      Membership membership) {
    this.home = home;
    this.nodeDir = nodeDir;
    this.heap = heap;
    this.httpPort = httpPort;
    this.transportPort = transportPort;
    this.nodeName = nodeName;
    this.membership = membership;
  }

  /**
   * Unpacks the distribution under {@code workDir} (or under the system temp folder when an
   * unprivileged uid could not reach {@code workDir}) and prepares a node in its folder
   * {@code node}, keeping the data a previous run left there unless {@code fresh}; no process yet.
   */
  public static LocalElasticsearch prepare(Path workDir, String node, boolean fresh, String heap, int httpPort)
      throws IOException {
    Path base = Unprivileged.reachable(workDir, "fleetlens-elasticsearch");
    Path home = ElasticsearchDistribution.unpack(ElasticsearchDistribution.zip(), base.resolve("dist"));
    Path nodeDir = base.resolve(node);
    if (fresh) {
      deleteRecursively(nodeDir);
    }
    Files.createDirectories(nodeDir);
    return new LocalElasticsearch(home, nodeDir, heap, httpPort, FreePorts.next(), "fleetlens-dev-0", null);
  }

  /** A fresh node of a cluster of several (see {@link LocalElasticsearchCluster}); no process yet. */
  static LocalElasticsearch prepareMember(Path workDir, String node, String heap, int transportPort,
      Membership membership) throws IOException {
    Path base = Unprivileged.reachable(workDir, "fleetlens-elasticsearch");
    Path home = ElasticsearchDistribution.unpack(ElasticsearchDistribution.zip(), base.resolve("dist"));
    Path nodeDir = base.resolve(node);
    deleteRecursively(nodeDir);
    Files.createDirectories(nodeDir);
    return new LocalElasticsearch(home, nodeDir, heap, FreePorts.next(), transportPort, node, membership);
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  public String httpUrl() {
    return "http://127.0.0.1:" + httpPort;
  }

  public synchronized LocalElasticsearch start() throws IOException, InterruptedException {
    if (process != null && process.isAlive()) {
      return this;
    }
    launchProcess();
    awaitHealthy(Duration.ofMinutes(3));
    LOG.info("Elasticsearch {} ready at {}", ElasticsearchDistribution.VERSION, httpUrl());
    return this;
  }

  /** Starts the node's process without waiting for it: a cluster's nodes only become healthy together. */
  synchronized void launchProcess() throws IOException {
    awaitNodeLockFree(Duration.ofSeconds(30));
    writeConfig();
    process = launch();
    Runtime.getRuntime().removeShutdownHook(reaper);
    Runtime.getRuntime().addShutdownHook(reaper);
  }

  /** CPU time the node's processes have used so far, for benchmarks. */
  public synchronized java.time.Duration cpuTime() {
    if (process == null) {
      return java.time.Duration.ZERO;
    }
    return java.util.stream.Stream.concat(java.util.stream.Stream.of(process.toHandle()), process.descendants())
        .map(h -> h.info().totalCpuDuration().orElse(java.time.Duration.ZERO))
        .reduce(java.time.Duration.ZERO, java.time.Duration::plus);
  }

  /** Stops the node gracefully (SIGTERM to the launcher and the server), keeping its data. */
  public synchronized void stop() throws InterruptedException {
    end(false);
  }

  /** SIGKILL to the node's processes, as a crash or an OOM kill: its data stays for {@link #start}. */
  public synchronized void crash() throws InterruptedException {
    end(true);
  }

  private void end(boolean kill) {
    if (process == null) {
      return;
    }
    List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
    all.add(process.toHandle());
    all.forEach(kill ? ProcessHandle::destroyForcibly : ProcessHandle::destroy);
    for (ProcessHandle handle : all) {
      handle.onExit().orTimeout(60, java.util.concurrent.TimeUnit.SECONDS).exceptionally(e -> {
        handle.destroyForcibly();
        return handle;
      }).join();
    }
    process = null;
  }

  @Override
  public void close() throws InterruptedException {
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(reaper);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or has run
    }
  }

  private void kill() {
    Process running = process;
    if (running != null) {
      running.descendants().forEach(ProcessHandle::destroyForcibly);
      running.destroyForcibly();
    }
  }

  private void writeConfig() throws IOException {
    Path config = Files.createDirectories(nodeDir.resolve("config"));
    for (String file : List.of("jvm.options", "log4j2.properties")) {
      Files.copy(home.resolve("config").resolve(file), config.resolve(file),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    List<String> discovery = membership == null ? List.of("discovery.type: single-node") : List.of(
        "discovery.seed_hosts: [" + String.join(", ", membership.transportPorts().stream()
            .map(p -> "\"127.0.0.1:" + p + "\"").toList()) + "]",
        "cluster.initial_master_nodes: [" + String.join(", ", membership.nodeNames()) + "]");
    List<String> lines = new ArrayList<>(List.of(
        "cluster.name: " + (membership == null ? "fleetlens-dev" : membership.clusterName()),
        "node.name: " + nodeName,
        "path.data: " + nodeDir.resolve("data"),
        "path.logs: " + nodeDir.resolve("logs"),
        "network.host: 127.0.0.1",
        "http.port: " + httpPort,
        "transport.port: " + transportPort));
    lines.addAll(discovery);
    lines.addAll(List.of(
        "xpack.security.enabled: false",
        "cluster.routing.allocation.disk.threshold_enabled: false",
        "action.destructive_requires_name: false",
        ""));
    Files.writeString(config.resolve("elasticsearch.yml"), String.join("\n", lines));
    Files.createDirectories(nodeDir.resolve("data"));
    Files.createDirectories(nodeDir.resolve("logs"));
    Files.createDirectories(nodeDir.resolve("tmp"));
    Unprivileged.own(nodeDir);
  }

  private Process launch() throws IOException {
    ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/elasticsearch").toString())
        .directory(nodeDir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(nodeDir.resolve("logs/console.log").toFile()));
    Map<String, String> env = builder.environment();
    env.put("ES_JAVA_HOME", Jdks.javaHome21Plus().toString());
    env.put("ES_PATH_CONF", nodeDir.resolve("config").toString());
    env.put("ES_TMPDIR", nodeDir.resolve("tmp").toString());
    env.put("ES_JAVA_OPTS", "-Xms" + heap + " -Xmx" + heap + " -XX:ActiveProcessorCount=2");
    env.put("HOME", nodeDir.toString());
    env.remove("JAVA_TOOL_OPTIONS");
    return BoundProcesses.start(builder, true);
  }

  /**
   * Waits while another process holds the node's data folder: the server of a run that was killed
   * with SIGKILL outlives it for a few seconds while it shuts down.
   */
  private void awaitNodeLockFree(Duration timeout) throws IOException {
    Path lockFile = nodeDir.resolve("data/node.lock");
    if (!Files.exists(lockFile)) {
      return;
    }
    Instant deadline = Instant.now().plus(timeout);
    try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(lockFile,
        java.nio.file.StandardOpenOption.WRITE)) {
      while (true) {
        java.nio.channels.FileLock lock = channel.tryLock();
        if (lock != null) {
          lock.release();
          return;
        }
        if (Instant.now().isAfter(deadline)) {
          throw new IOException("another Elasticsearch process still holds " + nodeDir.resolve("data")
              + " after " + timeout.toSeconds() + " s");
        }
        LOG.info("Waiting for the Elasticsearch of an earlier run to let go of {}", nodeDir.resolve("data"));
        Thread.sleep(500);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for " + lockFile, e);
    }
  }

  void awaitHealthy(Duration timeout) throws InterruptedException, IOException {
    Instant deadline = Instant.now().plus(timeout);
    HttpRequest health = HttpRequest.newBuilder(
            URI.create(httpUrl() + "/_cluster/health?wait_for_status=yellow&timeout=2s"))
        .timeout(Duration.ofSeconds(5)).build();
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IOException("Elasticsearch exited with " + process.exitValue() + ":\n" + consoleTail());
      }
      try {
        if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(500);
    }
    kill();
    throw new IOException("Elasticsearch did not become healthy in " + timeout + ":\n" + consoleTail());
  }

  private String consoleTail() throws IOException {
    List<String> lines = Files.readAllLines(nodeDir.resolve("logs/console.log"));
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }



}
