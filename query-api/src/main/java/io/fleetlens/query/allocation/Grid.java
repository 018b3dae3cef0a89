package io.fleetlens.query.allocation;

/**
 * The time steps an allocation integrates over: {@code steps} intervals of {@code resolutionMs}
 * from {@code startMs}; a measure at step {@code i} stands for the interval
 * {@code [start + i*resolution, start + (i+1)*resolution)}.
 */
public record Grid(long startMs, long resolutionMs, int steps) {

  public Grid {
    if (resolutionMs <= 0 || steps <= 0) {
      throw new IllegalArgumentException("a grid has at least one step of positive length");
    }
  }

  public long endMs() {
    return startMs + resolutionMs * steps;
  }

  /** The start of step {@code i}. */
  public long at(int i) {
    return startMs + resolutionMs * i;
  }

  public double stepHours() {
    return resolutionMs / 3_600_000.0;
  }
}
