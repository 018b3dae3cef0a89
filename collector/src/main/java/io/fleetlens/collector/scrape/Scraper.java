package io.fleetlens.collector.scrape;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fleetlens.core.metrics.MetricMetadata;
import io.fleetlens.core.metrics.Sample;
import io.fleetlens.core.metrics.exposition.PrometheusText;

/**
 * Scrapes one target the way Prometheus does: asks for OpenMetrics or text format, adds the target's
 * labels (an exposed label of the same name is kept as {@code exported_<name>}), and adds the
 * {@code up}, {@code scrape_duration_seconds} and {@code scrape_samples_scraped} series. A target
 * that hangs, fails or answers garbage gets {@code up 0} and a log line; nothing else stops.
 */
public final class Scraper {

  private static final Logger LOG = LoggerFactory.getLogger(Scraper.class);
  private static final String ACCEPT =
      "application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.4,*/*;q=0.1";

  private final HttpClient http;
  private final Duration timeout;

  public Scraper(Duration timeout) {
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    this.timeout = timeout;
  }

  /** What one scrape yields: its samples (never empty: at least {@code up}) and the metrics' descriptions. */
  public record Scrape(List<Sample> samples, List<MetricMetadata> metadata) {
  }

  public Scrape scrape(ScrapeTarget target, long nowMillis) {
    long start = System.nanoTime();
    List<MetricMetadata> metadata = List.of();
    List<Sample> samples = new ArrayList<>();
    boolean up = false;
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(target.url()).timeout(timeout)
          .header("Accept", ACCEPT).build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IOException("HTTP " + response.statusCode());
      }
      boolean openMetrics = response.headers().firstValue("Content-Type").orElse("").contains("openmetrics");
      PrometheusText.Parsed parsed = PrometheusText.parse(response.body(), nowMillis, openMetrics);
      if (parsed.samples().isEmpty() && !parsed.errors().isEmpty()) {
        throw new IOException("no sample could be parsed; first problem: " + parsed.errors().get(0));
      }
      if (!parsed.errors().isEmpty()) {
        LOG.warn("scrape of {}: skipped {} unparsable lines, first: {}", target.url(), parsed.errors().size(),
            parsed.errors().get(0));
      }
      parsed.samples().forEach(s -> samples.add(withTargetLabels(s, target.labels())));
      metadata = parsed.metadata();
      up = true;
    } catch (IOException e) {
      LOG.warn("scrape of {} failed: {}", target.url(), e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    int scraped = samples.size();
    samples.add(new Sample("up", new TreeMap<>(target.labels()), nowMillis, up ? 1 : 0));
    samples.add(new Sample("scrape_duration_seconds", new TreeMap<>(target.labels()), nowMillis, seconds));
    samples.add(new Sample("scrape_samples_scraped", new TreeMap<>(target.labels()), nowMillis, scraped));
    return new Scrape(samples, metadata);
  }

  static Sample withTargetLabels(Sample sample, Map<String, String> targetLabels) {
    TreeMap<String, String> labels = new TreeMap<>();
    sample.labels().forEach((k, v) -> labels.put(targetLabels.containsKey(k) ? "exported_" + k : k, v));
    labels.putAll(targetLabels);
    return new Sample(sample.name(), labels, sample.timestampMillis(), sample.value());
  }
}
