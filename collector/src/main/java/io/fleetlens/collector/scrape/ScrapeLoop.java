package io.fleetlens.collector.scrape;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fleetlens.core.metrics.Sample;
import io.fleetlens.core.metrics.SampleSink;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Scrapes every target on an interval and hands the samples on. The targets are asked for at each
 * interval (pods come and go); up to {@value #WORKERS} targets are scraped at once, and a target
 * whose last scrape still runs (a hanging endpoint) is not scraped again until it ends.
 */
public final class ScrapeLoop implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ScrapeLoop.class);

  private static final int WORKERS = 4;

  private final Supplier<List<ScrapeTarget>> targets;
  private final List<SampleSource> sources;
  private final Set<java.net.URI> running = ConcurrentHashMap.newKeySet();
  private final ExecutorService workers = Executors.newFixedThreadPool(WORKERS,
      runnable -> new Thread(runnable, "collector-scrape-worker"));
  private final Scraper scraper;
  private final SampleSink sink;
  private final long intervalMillis;
  private final MeterRegistry registry;
  private final Timer duration;
  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
      runnable -> new Thread(runnable, "collector-scrape"));

  public ScrapeLoop(Supplier<List<ScrapeTarget>> targets, List<SampleSource> sources, Scraper scraper,
      SampleSink sink, long intervalMillis, MeterRegistry registry) {
    this.targets = targets;
    this.sources = List.copyOf(sources);
    this.scraper = scraper;
    this.sink = sink;
    this.intervalMillis = intervalMillis;
    this.registry = registry;
    this.duration = Timer.builder("fleetlens.collector.scrape").description("Scrapes of targets").register(registry);
  }

  public ScrapeLoop start() {
    executor.scheduleAtFixedRate(this::scrapeAll, 0, intervalMillis, TimeUnit.MILLISECONDS);
    return this;
  }

  /** Collects the local sources, then starts a scrape of every target not being scraped already. */
  public void scrapeAll() {
    for (SampleSource source : sources) {
      try {
        sink.accept(source.collect(System.currentTimeMillis()));
      } catch (RuntimeException e) {
        LOG.warn("collecting {} failed: {}", source, e.toString());
      }
    }
    try {
      for (ScrapeTarget target : targets.get()) {
        if (running.add(target.url())) {
          workers.execute(() -> {
            try {
              scrape(target);
            } finally {
              running.remove(target.url());
            }
          });
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("cannot list scrape targets: {}", e.toString());
    }
  }

  /** Scrapes one target; its failure stays its own. */
  private void scrape(ScrapeTarget target) {
    try {
      long start = System.nanoTime();
      Scraper.Scrape scrape = scraper.scrape(target, System.currentTimeMillis());
      List<Sample> samples = scrape.samples();
      duration.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
      boolean up = samples.stream().anyMatch(s -> s.name().equals("up") && s.value() == 1);
      Counter.builder("fleetlens.collector.scrapes").tag("result", up ? "up" : "down")
          .description("Scrapes, by whether the target answered").register(registry).increment();
      sink.accept(samples);
      sink.describe(scrape.metadata());
    } catch (RuntimeException e) {
      LOG.warn("scraping {} failed: {}", target.url(), e.toString());
    }
  }

  @Override
  public void close() throws InterruptedException {
    executor.shutdownNow();
    workers.shutdownNow();
    executor.awaitTermination(10, TimeUnit.SECONDS);
    workers.awaitTermination(10, TimeUnit.SECONDS);
  }
}
