package io.fleetlens.core.logs;

import java.util.Objects;

import io.fleetlens.core.metrics.Labels;

/**
 * How many lines, and how many bytes of message (UTF-8), the lines of one label set wrote in one
 * window of a {@link LogWindows}: what Loki's {@code index/volume} and {@code index/stats} report,
 * and what LogQL's {@code count_over_time} and {@code bytes_over_time} count without reading lines.
 */
public record LogVolume(Labels labels, int window, long lines, long bytes) {

  public LogVolume {
    Objects.requireNonNull(labels, "labels");
  }
}
