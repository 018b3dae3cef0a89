package io.fleetlens.aggregator.federation;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fleetlens.core.metrics.Sample;
import io.fleetlens.core.metrics.SampleSink;
import io.fleetlens.core.metrics.exposition.PrometheusText;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Pulls each cluster's Prometheus through its {@code /federate} endpoint on an interval, with the
 * configured {@code match[]} selectors, and hands the samples on. The samples keep their own labels
 * (as {@code honor_labels: true} would); those without a {@code cluster} label get the target's.
 * Several targets of one cluster are HA replicas: each round takes the samples of the first one
 * that answers and drops the replica label, so a pair is stored once. Every target also yields
 * {@code up{job="fleetlens-federate", cluster, instance}}.
 */
public final class Federation implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Federation.class);
  public static final String JOB = "fleetlens-federate";

  /** One Prometheus to federate from: {@code <cluster>=<base url>}. */
  public record Target(String cluster, URI url) {
    public static Target parse(String spec) {
      int eq = spec.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("federation target must be <cluster>=<url>: " + spec);
      }
      return new Target(spec.substring(0, eq).strip(), URI.create(spec.substring(eq + 1).strip()));
    }

    String instance() {
      return url.getHost() + ":" + url.getPort();
    }
  }

  private final Map<String, List<Target>> byCluster = new LinkedHashMap<>();
  private final List<String> match;
  private final String replicaLabel;
  private final long intervalMillis;
  private final Duration timeout;
  private final SampleSink sink;
  private final HttpClient http;
  private final MeterRegistry registry;
  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
      r -> new Thread(r, "aggregator-federation"));

  public Federation(List<Target> targets, List<String> match, String replicaLabel, long intervalMillis,
      Duration timeout, SampleSink sink, MeterRegistry registry) {
    targets.forEach(t -> byCluster.computeIfAbsent(t.cluster(), k -> new ArrayList<>()).add(t));
    this.match = List.copyOf(match);
    this.replicaLabel = replicaLabel;
    this.intervalMillis = intervalMillis;
    this.timeout = timeout;
    this.sink = sink;
    this.registry = registry;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  public Federation start() {
    if (!byCluster.isEmpty()) {
      executor.scheduleWithFixedDelay(this::federateAll, 0, intervalMillis, TimeUnit.MILLISECONDS);
    }
    return this;
  }

  /** One round over every cluster. */
  public void federateAll() {
    for (Map.Entry<String, List<Target>> cluster : byCluster.entrySet()) {
      try {
        federate(cluster.getKey(), cluster.getValue());
      } catch (RuntimeException e) {
        LOG.warn("federating cluster {} failed: {}", cluster.getKey(), e.toString());
      }
    }
  }

  private void federate(String cluster, List<Target> replicas) {
    long now = System.currentTimeMillis();
    List<Sample> out = new ArrayList<>();
    boolean taken = false;
    for (Target target : replicas) {
      boolean up = false;
      if (!taken) {
        try {
          List<Sample> samples = pull(target, now);
          for (Sample s : samples) {
            out.add(relabel(s, cluster));
          }
          up = true;
          taken = true;
        } catch (IOException e) {
          LOG.warn("federation of {} from {} failed: {}", cluster, target.url(), e.toString());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      } else {
        up = answers(target);
      }
      out.add(new Sample("up", new TreeMap<>(Map.of("cluster", cluster, "instance", target.instance(), "job", JOB)),
          now, up ? 1 : 0));
      Counter.builder("fleetlens.aggregator.federation.scrapes").tag("cluster", cluster)
          .tag("result", up ? "up" : "down").description("Federation requests, by whether they answered")
          .register(registry).increment();
    }
    sink.accept(out);
  }

  private List<Sample> pull(Target target, long now) throws IOException, InterruptedException {
    StringBuilder query = new StringBuilder();
    for (String selector : match) {
      query.append(query.isEmpty() ? "?" : "&").append("match[]=")
          .append(URLEncoder.encode(selector, StandardCharsets.UTF_8));
    }
    URI uri = URI.create(target.url().toString().replaceAll("/+$", "") + "/federate" + query);
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(timeout)
        .header("Accept", "text/plain;version=0.0.4").build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("HTTP " + response.statusCode());
    }
    PrometheusText.Parsed parsed = PrometheusText.parse(response.body(), now, false);
    if (!parsed.errors().isEmpty()) {
      LOG.warn("federation from {}: skipped {} unparsable lines, first: {}", target.url(), parsed.errors().size(),
          parsed.errors().get(0));
    }
    sink.describe(parsed.metadata());
    return parsed.samples();
  }

  private boolean answers(Target target) {
    try {
      HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(
          target.url().toString().replaceAll("/+$", "") + "/-/healthy")).timeout(timeout).build(),
          HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private Sample relabel(Sample s, String cluster) {
    TreeMap<String, String> labels = new TreeMap<>(s.labels());
    labels.remove(replicaLabel);
    labels.putIfAbsent("cluster", cluster);
    return new Sample(s.name(), labels, s.timestampMillis(), s.value());
  }

  @Override
  public void close() throws InterruptedException {
    executor.shutdownNow();
    executor.awaitTermination(10, TimeUnit.SECONDS);
  }
}
