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
 * Everything lives under one data folder ({@code --data-dir}, default {@code .fleetlens}); Ctrl-C
 * stops it all.
 */
public final class LocalFleet implements AutoCloseable {

  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private final PrintStream out;

  private LocalFleet(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    Path dataDir = Path.of(option(args, "--data-dir", ".fleetlens")).toAbsolutePath();
    System.setProperty("FLEETLENS_LOG_FILE", dataDir.resolve("fleetlens.log").toString());
    System.setProperty("logback.configurationFile", "logback-local.xml");
    PrintStream out = System.out;
    LocalFleet fleet = new LocalFleet(out);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      out.println("\nStopping Fleetlens...");
      fleet.close();
      out.println("Stopped.");
    }, "local-fleet-shutdown"));
    fleet.start(dataDir, Integer.parseInt(option(args, "--port", "8080")));
    Thread.currentThread().join();
  }

  private void start(Path dataDir, int queryPort) throws Exception {
    out.println("Starting Fleetlens with its data in " + dataDir + " (logs: " + dataDir.resolve("fleetlens.log") + ")");
    out.println("  Kafka...");
    EmbeddedKafka kafka = started(new EmbeddedKafka(dataDir.resolve("kafka")).start());
    out.println("  Elasticsearch (takes about 20 s)...");
    LocalElasticsearch elasticsearch = started(LocalElasticsearch.prepare(dataDir.resolve("elasticsearch"), "node-0",
        false, "1g", portOr(9200)).start());
    List<String> es = List.of(elasticsearch.httpUrl());
    AggregatorMain aggregator = started(new AggregatorMain(AggregatorConfig.load(null, Map.of(
        "FLEETLENS_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
        "FLEETLENS_ELASTICSEARCH_HOSTS", String.join(",", es),
        "FLEETLENS_KAFKA_PARTITIONS", "3",
        "FLEETLENS_HTTP_HOST", "127.0.0.1",
        "FLEETLENS_HTTP_PORT", Integer.toString(portOr(9465))))));
    Path rules = dataDir.resolve("demo-rules.yaml");
    try (java.io.InputStream in = LocalFleet.class.getResourceAsStream("demo-rules.yaml")) {
      java.nio.file.Files.write(rules, in.readAllBytes());
    }
    QueryApiMain queryApi = started(new QueryApiMain(QueryApiConfig.load(null, Map.of(
        "FLEETLENS_ALERTING_RULE_FILES", rules.toString(),
        "FLEETLENS_AUTH_ENABLED", "false",
        "FLEETLENS_DATABASE_JDBC_URL", io.fleetlens.pricing.PricingStore.h2Url("file:" + dataDir.resolve("database")),
        "FLEETLENS_ELASTICSEARCH_HOSTS", String.join(",", es),
        "FLEETLENS_HTTP_HOST", "127.0.0.1",
        "FLEETLENS_HTTP_PORT", Integer.toString(portOr(queryPort))))));
    Path pods = dataDir.resolve("pods");
    DemoWorkload workload = started(new DemoWorkload(pods).start());
    DemoKubelet kubelet = started(new DemoKubelet(workload.pods()).start());
    CollectorMain collector = started(new CollectorMain(CollectorConfig.load(null, Map.ofEntries(
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
        Map.entry("FLEETLENS_HTTP_PORT", Integer.toString(portOr(9464)))))));
    String query = "http://127.0.0.1:" + queryApi.httpPort();
    DemoPrices.ensure(query, "local");
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
    out.println("  curl '" + query + "/api/v1/golden-signals?cluster=local&namespace=shop&workload=cart&window=5m'");
    out.println("  curl '" + query + "/api/v1/golden-signals/fleet?window=5m&sort=errors'");
    out.println("  curl '" + query + "/api/v1/allocation?window=1h&aggregate=namespace&includeIdle=true'");
    out.println("  curl '" + query + "/api/v1/alerts'     (alert rules: /api/v1/rules; manage them at /api/v1/rules/groups)");
    out.println();
    out.println("Press Ctrl-C to stop.");
  }

  private <T extends AutoCloseable> T started(T component) {
    started.push(component);
    return component;
  }

  /** The port if it is free on loopback, else any free one. */
  private static int portOr(int preferred) {
    try (ServerSocket socket = new ServerSocket(preferred, 1, InetAddress.getLoopbackAddress())) {
      return preferred;
    } catch (IOException taken) {
      return FreePorts.next();
    }
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
    while (!started.isEmpty()) {
      try {
        started.pop().close();
      } catch (Exception e) {
        e.printStackTrace(out);
      }
    }
  }
}
