package io.fleetlens.collector;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fleetlens.runtime.AppLauncher;
import io.fleetlens.runtime.CommandLine;
import io.fleetlens.runtime.AppHttpServer;
import io.fleetlens.runtime.Metrics;
import io.fleetlens.runtime.Readiness;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** Runs the collector: {@code java -jar fleetlens-collector.jar [--config collector.yaml]}. */
public final class CollectorMain implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CollectorMain.class);

  private final Collector collector;
  private final AppHttpServer http;

  public CollectorMain(CollectorConfig config) throws Exception {
    PrometheusMeterRegistry registry = Metrics.registry("collector");
    collector = new Collector(config, registry).start();
    http = new AppHttpServer(new Readiness().check("kafka", collector::kafkaReachable), registry)
        .listen(config.http().host(), config.http().port(), config.http().tls());
  }

  public int httpPort() {
    return http.port();
  }

  public static void main(String[] args) throws Exception {
    AppLauncher.runUntilShutdown("collector", () -> {
      CollectorMain main = new CollectorMain(CollectorConfig.load(CommandLine.configFile(args), System.getenv()));
      LOG.info("collector serving /healthz, /readyz and /metrics on port {}", main.httpPort());
      return main;
    });
  }

  @Override
  public void close() throws Exception {
    collector.close();
    http.close();
  }
}
