package io.fleetlens.aggregator;

import java.time.Duration;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fleetlens.aggregator.access.LogRequestMetrics;
import io.fleetlens.aggregator.federation.Federation;
import io.fleetlens.aggregator.remotewrite.RemoteWriteReceiver;
import io.fleetlens.aggregator.remotewrite.Senders;
import io.fleetlens.core.metrics.Sample;
import io.fleetlens.core.metrics.SeriesSamples;
import io.fleetlens.runtime.AppLauncher;
import io.fleetlens.runtime.CommandLine;
import io.fleetlens.runtime.AppHttpServer;
import io.fleetlens.runtime.Metrics;
import io.fleetlens.runtime.Readiness;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** Runs the aggregator: {@code java -jar fleetlens-aggregator.jar [--config aggregator.yaml]}. */
public final class AggregatorMain implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(AggregatorMain.class);

  private final Aggregator aggregator;
  private final AppHttpServer http;
  private final RemoteWriteReceiver remoteWrite;
  private final SampleProducer samples;
  private final Federation federation;
  private final LogRequestMetrics requests;
  private final java.util.concurrent.ScheduledExecutorService accessLogFlush =
      java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "aggregator-access-logs"));

  public AggregatorMain(AggregatorConfig config) throws Exception {
    PrometheusMeterRegistry registry = Metrics.registry("aggregator");
    requests = new LogRequestMetrics(io.fleetlens.runtime.InstanceName.of());
    boolean accessLogs = config.accessLogs().enabled();
    aggregator = new Aggregator(config, registry,
        record -> {
          if (accessLogs) {
            requests.observe(record, System.currentTimeMillis());
          }
        }).start();
    Readiness readiness = new Readiness()
        .check("elasticsearch", aggregator::elasticsearchReachable)
        .check("kafka-consumer", aggregator::consuming);
    http = new AppHttpServer(readiness, registry);
    samples = new SampleProducer(config.kafka().cluster(), config.kafka().metricsTopic(),
        "fleetlens-aggregator-samples-" + ProcessHandle.current().pid());
    remoteWrite = new RemoteWriteReceiver(samples, senders(config.http()), registry);
    AggregatorConfig.Federation f = config.federation();
    federation = new Federation(f.targets().stream().map(Federation.Target::parse).toList(), f.match(),
        f.replicaLabel(), f.intervalMs(), Duration.ofMillis(f.timeoutMs()), new FederatedSink(), registry).start();
    if (accessLogs) {
      accessLogFlush.scheduleWithFixedDelay(this::sendRequestMetrics, config.accessLogs().intervalMs(),
          config.accessLogs().intervalMs(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }
    remoteWrite.mount(http.router(), 64L * 1024 * 1024);
    http.listen(config.http().host(), config.http().port(), config.http().tls());
  }

  private static Senders senders(AggregatorConfig.Http http) {
    if (http.remoteWriteSendersFile().isEmpty()) {
      LOG.warn("remote write takes any request: set http.remote-write-senders-file to require senders' credentials");
      return null;
    }
    Senders senders = Senders.from(java.nio.file.Path.of(http.remoteWriteSendersFile()));
    LOG.info("remote write takes {} senders from {}", senders.size(), http.remoteWriteSendersFile());
    return senders;
  }

  private void sendRequestMetrics() {
    List<Sample> counted = requests.flush(System.currentTimeMillis());
    try {
      samples.sendAndWait(SeriesSamples.of(counted));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.warn("{} access-log request samples not taken by Kafka: {}", counted.size(), e.toString());
    }
  }

  /** Federated samples and descriptions onto the metrics topic. */
  private final class FederatedSink implements io.fleetlens.core.metrics.SampleSink {
    @Override
    public void accept(List<Sample> federated) {
      try {
        samples.sendAndWait(SeriesSamples.of(federated));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        LOG.warn("{} federated samples not taken by Kafka: {}", federated.size(), e.toString());
      }
    }

    @Override
    public void describe(List<io.fleetlens.core.metrics.MetricMetadata> metadata) {
      try {
        samples.describeAndWait("", metadata);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        LOG.warn("{} federated metric descriptions not taken by Kafka: {}", metadata.size(), e.toString());
      }
    }
  }

  public int httpPort() {
    return http.port();
  }

  public static void main(String[] args) throws Exception {
    AppLauncher.runUntilShutdown("aggregator", () -> {
      AggregatorMain main = new AggregatorMain(AggregatorConfig.load(CommandLine.configFile(args), System.getenv()));
      LOG.info("aggregator serving /api/v1/write, /healthz, /readyz and /metrics on port {}", main.httpPort());
      return main;
    });
  }

  @Override
  public void close() throws Exception {
    http.close();
    accessLogFlush.shutdownNow();
    federation.close();
    remoteWrite.close();
    samples.close();
    aggregator.close();
  }
}
