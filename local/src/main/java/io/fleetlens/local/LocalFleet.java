package io.fleetlens.local;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fleetlens.aggregator.AggregatorConfig;
import io.fleetlens.aggregator.AggregatorMain;
import io.fleetlens.collector.CollectorConfig;
import io.fleetlens.collector.CollectorMain;
import io.fleetlens.devservers.EmbeddedKafka;
import io.fleetlens.devservers.FreePorts;
import io.fleetlens.devservers.LocalElasticsearch;
import io.fleetlens.query.QueryApiConfig;
import io.fleetlens.query.QueryApiMain;

/**
 * Runs all of Fleetlens on one machine with nothing but a JDK: Kafka in this JVM, Elasticsearch
 * from its distribution, the aggregator, the query API, and a collector tailing a demo workload.
 * Everything lives under one data folder ({@code --data-dir}, default {@code .fleetlens}), which
 * one run at a time owns; a later run, even after a crash, starts again on its data. Ctrl-C stops
 * it all. A start that fails stops what it had started and exits with one line naming the part
 * and the cause; the trace goes to the log file.
 */
public final class LocalFleet implements AutoCloseable {

  /** A part of the run that could not start, and why. */
  static final class StartFailure extends Exception {
    private static final long serialVersionUID = 1L;

    StartFailure(String part, Throwable cause) {
      super(part + ": " + firstLine(cause), cause);
    }

    StartFailure(String part, String reason) {
      super(part + ": " + reason);
    }
  }

  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private final PrintStream out;
  private volatile boolean running;

  private LocalFleet(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    Path dataDir = Path.of(option(args, "--data-dir", ".fleetlens")).toAbsolutePath();
    String port = option(args, "--port", null);
    DataDirLock lock;
    try {
      lock = DataDirLock.acquire(dataDir);
    } catch (DataDirLock.HeldException held) {
      System.err.println(held.getMessage());
      System.exit(1);
      return;
    }
    Path logFile = dataDir.resolve("fleetlens.log");
    System.setProperty("FLEETLENS_LOG_FILE", logFile.toString());
    System.setProperty("logback.configurationFile", "logback-local.xml");
    PrintStream out = System.out;
    LocalFleet fleet = new LocalFleet(out);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (fleet.running) {
        out.println("\nStopping Fleetlens...");
        fleet.close();
        out.println("Stopped.");
      }
    }, "local-fleet-shutdown"));
    try {
      fleet.start(dataDir, port == null ? portOr(8080) : requiredPort("query-api", port, "--port N"));
    } catch (StartFailure failure) {
      log().error("Fleetlens did not start", failure);
      System.err.println("Fleetlens did not start: " + failure.getMessage() + " (details in " + logFile + ")");
      fleet.close();
      lock.close();
      System.exit(1);
    }
    Thread.currentThread().join();
  }

  private void start(Path dataDir, int queryPort) throws StartFailure {
    running = true;
    out.println("Starting Fleetlens with its data in " + dataDir + " (logs: " + dataDir.resolve("fleetlens.log") + ")");
    EmbeddedKafka kafka = part("Kafka", () -> started(EmbeddedKafka.keepingData(dataDir.resolve("kafka"))).start());
    LocalElasticsearch elasticsearch = part("Elasticsearch (takes about 20 s)", () -> started(LocalElasticsearch
        .prepare(dataDir.resolve("elasticsearch"), "node-0", false, "1g", portOr(9200))).start());
    List<String> es = List.of(elasticsearch.httpUrl());
    AggregatorMain aggregator = part("aggregator", () -> started(new AggregatorMain(AggregatorConfig.load(null, Map.of(
        "FLEETLENS_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
        "FLEETLENS_ELASTICSEARCH_HOSTS", String.join(",", es),
        "FLEETLENS_KAFKA_PARTITIONS", "3",
        "FLEETLENS_HTTP_HOST", "127.0.0.1",
        "FLEETLENS_HTTP_PORT", Integer.toString(portOr(9465)))))));
    QueryApiMain queryApi = part("query-api", () -> {
      Path rules = dataDir.resolve("demo-rules.yaml");
      try (java.io.InputStream in = LocalFleet.class.getResourceAsStream("demo-rules.yaml")) {
        java.nio.file.Files.write(rules, in.readAllBytes());
      }
      return started(new QueryApiMain(QueryApiConfig.load(null, Map.of(
          "FLEETLENS_ALERTING_RULE_FILES", rules.toString(),
          "FLEETLENS_AUTH_ENABLED", "false",
          "FLEETLENS_DATABASE_JDBC_URL", io.fleetlens.pricing.PricingStore.h2Url("file:" + dataDir.resolve("database")),
          "FLEETLENS_ELASTICSEARCH_HOSTS", String.join(",", es),
          "FLEETLENS_HTTP_HOST", "127.0.0.1",
          "FLEETLENS_HTTP_PORT", Integer.toString(queryPort)))));
    });
    Path pods = dataDir.resolve("pods");
    DemoWorkload workload = part("demo workload", () -> started(new DemoWorkload(pods).start()));
    DemoKubelet kubelet = part("demo kubelet", () -> started(new DemoKubelet(workload.pods()).start()));
    CollectorMain collector = part("collector", () -> started(new CollectorMain(CollectorConfig.load(null, Map.ofEntries(
        Map.entry("FLEETLENS_CLUSTER", "local"),
        Map.entry("FLEETLENS_NODE", "local-node"),
        Map.entry("FLEETLENS_LOGS_PODS_DIR", pods.toString()),
        Map.entry("FLEETLENS_LOGS_CONTAINERS_DIR", ""),
        Map.entry("FLEETLENS_CHECKPOINTS_DIR", dataDir.resolve("collector").toString()),
        Map.entry("FLEETLENS_SPOOL_DIR", dataDir.resolve("collector/spool").toString()),
        Map.entry("FLEETLENS_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers()),
        Map.entry("FLEETLENS_KUBELET_URL", kubelet.url()),
        Map.entry("FLEETLENS_SCRAPE_INTERVAL_MS", "5000"),
        Map.entry("FLEETLENS_HTTP_HOST", "127.0.0.1"),
        Map.entry("FLEETLENS_HTTP_PORT", Integer.toString(portOr(9464))))))));
    String query = "http://127.0.0.1:" + queryApi.httpPort();
    part("demo price sheet", () -> {
      DemoPrices.ensure(query, "local");
      return null;
    });
    printWelcome(query, aggregator, collector, kafka, elasticsearch);
  }

  private void printWelcome(String query, AggregatorMain aggregator, CollectorMain collector, EmbeddedKafka kafka,
      LocalElasticsearch elasticsearch) {
    out.println();
    out.println("Fleetlens is running.");
    out.println("  query-api   " + query);
    out.println("  aggregator  http://127.0.0.1:" + aggregator.httpPort() + "/metrics");
    out.println("  remote_write http://127.0.0.1:" + aggregator.httpPort() + "/api/v1/write");
    out.println("  collector   http://127.0.0.1:" + collector.httpPort() + "/metrics");
    out.println("  (Kafka " + kafka.bootstrapServers() + ", Elasticsearch " + elasticsearch.httpUrl() + ")");
    out.println("  Access control is off in this demo, which listens on 127.0.0.1 only; it is on by default"
        + " elsewhere (auth.enabled).");
    out.println();
    out.println("Try:");
    out.println("  curl '" + query + "/api/v1/logs?namespace=shop&level=error&limit=5'");
    out.println("  curl '" + query + "/api/v1/query?query=up'     (PromQL; point Grafana's Prometheus data source here)");
    out.println("  curl -G '" + query + "/loki/api/v1/query_range' --data-urlencode "
        + "'query=sum by (level) (count_over_time({namespace=\"shop\"}[1m]))'     (LogQL; point Grafana's Loki data"
        + " source here)");
    out.println("  curl '" + query + "/api/v1/golden-signals?cluster=local&namespace=shop&workload=cart&window=5m'");
    out.println("  curl '" + query + "/api/v1/golden-signals/fleet?window=5m&sort=errors'");
    out.println("  curl '" + query + "/api/v1/allocation?window=1h&aggregate=namespace&includeIdle=true'");
    out.println("  curl '" + query + "/api/v1/alerts'     (alert rules: /api/v1/rules; manage them at /api/v1/rules/groups)");
    out.println();
    out.println("Press Ctrl-C to stop.");
  }

  /** Starts one part, saying so; its failure names it. */
  private <T> T part(String name, Callable<T> start) throws StartFailure {
    out.println("  " + name + "...");
    try {
      return start.call();
    } catch (Exception e) {
      throw new StartFailure(name.replaceFirst(" \\(.*", ""), e);
    }
  }

  /** Remembers a component for {@link #close}, before its own start can fail halfway. */
  private <T extends AutoCloseable> T started(T component) {
    started.push(component);
    return component;
  }

  /** The port if it is free on loopback, else any free one. */
  private static int portOr(int preferred) {
    return isFree(preferred) ? preferred : FreePorts.next();
  }

  /** A port the user asked for: it must be a port number and free on loopback. */
  private static int requiredPort(String part, String value, String option) throws StartFailure {
    int port;
    try {
      port = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new StartFailure(part, "'" + value + "' is not a port number (" + option + ")");
    }
    if (port < 1 || port > 65535) {
      throw new StartFailure(part, port + " is not a port number (" + option + ")");
    }
    if (!isFree(port)) {
      throw new StartFailure(part, "port " + port + " on 127.0.0.1 is taken; stop what holds it or pick another with "
          + option);
    }
    return port;
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException taken) {
      return false;
    }
  }

  private static String firstLine(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null || root.getMessage().isBlank()
        ? root.getClass().getSimpleName() : root.getMessage().strip();
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  /** Not a static field: the logger is made only once main has pointed logging at the data folder. */
  private static Logger log() {
    return LoggerFactory.getLogger(LocalFleet.class);
  }

  private static String option(String[] args, String name, String fallback) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return fallback;
  }

  @Override
  public void close() {
    running = false;
    while (!started.isEmpty()) {
      try {
        started.pop().close();
      } catch (Exception e) {
        log().warn("Could not stop a part cleanly", e);
      }
    }
  }
}
