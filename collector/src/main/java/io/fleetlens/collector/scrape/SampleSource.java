package io.fleetlens.collector.scrape;

import java.util.List;

import io.fleetlens.core.metrics.Sample;

/** Samples the collector makes itself, on the node, at every scrape interval (no HTTP involved). */
@FunctionalInterface
public interface SampleSource {

  List<Sample> collect(long nowMillis);
}
