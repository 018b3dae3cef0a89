package io.fleetlens.core.logs;

import java.util.Objects;

import io.fleetlens.core.metrics.Labels;

/**
 * How many lines, and how many bytes of message (UTF-8), the lines of one label set wrote in one
 * time bucket ({@code bucketStartMillis}; the selection's start when the volume has one bucket):
 * what Loki's {@code index/volume} and {@code index/stats} report, and what a count of lines per
 * step is made of.
 */
public record LogVolume(Labels labels, long bucketStartMillis, long lines, long bytes) {

  public LogVolume {
    Objects.requireNonNull(labels, "labels");
  }
}
