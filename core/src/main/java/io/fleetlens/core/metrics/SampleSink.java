package io.fleetlens.core.metrics;

import java.util.List;

/** Where scraped samples go. */
@FunctionalInterface
public interface SampleSink {

  void accept(List<Sample> samples);
}
