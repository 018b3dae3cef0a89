package io.fleetlens.core.metrics;

/** What travels on the metrics topic: samples, and now and then what a metric is. */
public sealed interface MetricRecord permits Sample, MetricMetadata {
}
