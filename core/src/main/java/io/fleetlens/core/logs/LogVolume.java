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

  /** The volumes of counts kept per label set and window as {@code {lines, bytes}}; windows without lines left out. */
  public static java.util.List<LogVolume> of(java.util.Map<Labels, long[][]> counts) {
    java.util.List<LogVolume> out = new java.util.ArrayList<>();
    counts.forEach((key, perWindow) -> {
      for (int i = 0; i < perWindow.length; i++) {
        if (perWindow[i][0] > 0) {
          out.add(new LogVolume(key, i, perWindow[i][0], perWindow[i][1]));
        }
      }
    });
    return out;
  }
}
