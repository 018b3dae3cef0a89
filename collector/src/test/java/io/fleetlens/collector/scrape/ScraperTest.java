package io.fleetlens.collector.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import io.fleetlens.core.metrics.Sample;

class ScraperTest {

  private HttpServer server;

  @BeforeEach
  void serveTargets() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/metrics", exchange -> reply(exchange, "job_runs_total{job=\"backup\"} 3\nup_since 7\n"));
    server.createContext("/garbage", exchange -> reply(exchange, "<html><body>502 Bad Gateway</body></html>"));
    server.createContext("/hang", exchange -> {
      try {
        Thread.sleep(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      reply(exchange, "late 1\n");
    });
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private static void reply(com.sun.net.httpserver.HttpExchange exchange, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
    exchange.sendResponseHeaders(200, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private ScrapeTarget target(String path) {
    return ScrapeTarget.parse("app=http://127.0.0.1:" + server.getAddress().getPort() + path,
        Map.of("cluster", "c1", "node", "n1"));
  }

  private static double value(List<Sample> samples, String name) {
    return samples.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow().value();
  }

  @Test
  void samplesGetTheTargetLabelsAndAnExposedJobLabelIsKeptAsExported() {
    List<Sample> samples = new Scraper(Duration.ofSeconds(2)).scrape(target("/metrics"), 1_000).samples();
    Sample runs = samples.get(0);
    assertThat(runs.labels()).isEqualTo(new TreeMap<>(Map.of("exported_job", "backup", "job", "app", "cluster", "c1",
        "node", "n1", "instance", "127.0.0.1:" + server.getAddress().getPort())));
    assertThat(value(samples, "up")).isEqualTo(1);
    assertThat(value(samples, "scrape_samples_scraped")).isEqualTo(2);
  }

  @Test
  void garbageOrAHangingTargetIsDownAndTheScrapeReturns() {
    Scraper scraper = new Scraper(Duration.ofMillis(500));
    assertThat(value(scraper.scrape(target("/garbage"), 1_000).samples(), "up")).isZero();
    long start = System.nanoTime();
    List<Sample> hung = scraper.scrape(target("/hang"), 1_000).samples();
    assertThat(value(hung, "up")).isZero();
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(4_000);
  }
}
