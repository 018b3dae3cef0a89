package io.fleetlens.collector.scrape;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fleetlens.core.metrics.Sample;
import io.fleetlens.core.metrics.SampleSink;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** Scrapes every target on an interval, on its own named thread, and hands the samples on. */
public final class ScrapeLoop implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ScrapeLoop.class);

  private final List<ScrapeTarget> targets;
  private final Scraper scraper;
  private final SampleSink sink;
  private final long intervalMillis;
  private final MeterRegistry registry;
  private final Timer duration;
  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
      runnable -> new Thread(runnable, "collector-scrape"));

  public ScrapeLoop(List<ScrapeTarget> targets, Scraper scraper, SampleSink sink, long intervalMillis,
      MeterRegistry registry) {
    this.targets = targets;
    this.scraper = scraper;
    this.sink = sink;
    this.intervalMillis = intervalMillis;
    this.registry = registry;
    this.duration = Timer.builder("fleetlens.collector.scrape").description("Scrapes of targets").register(registry);
  }

  public ScrapeLoop start() {
    if (!targets.isEmpty()) {
      executor.scheduleAtFixedRate(this::scrapeAll, 0, intervalMillis, TimeUnit.MILLISECONDS);
    }
    return this;
  }

  /** Scrapes every target once; each target's failure stays its own. */
  public void scrapeAll() {
    for (ScrapeTarget target : targets) {
      try {
        long start = System.nanoTime();
        List<Sample> samples = scraper.scrape(target, System.currentTimeMillis());
        duration.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        boolean up = samples.stream().anyMatch(s -> s.name().equals("up") && s.value() == 1);
        Counter.builder("fleetlens.collector.scrapes").tag("result", up ? "up" : "down")
            .description("Scrapes, by whether the target answered").register(registry).increment();
        sink.accept(samples);
      } catch (RuntimeException e) {
        LOG.warn("scraping {} failed: {}", target.url(), e.toString());
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    executor.shutdownNow();
    executor.awaitTermination(10, TimeUnit.SECONDS);
  }
}
