package io.fleetlens.core.logs;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * How many records of a search fall in each interval of its range, split by the values of one
 * field ({@code by}; a record without it counts under {@code ""}): what Kibana's histogram above
 * the hits shows. Buckets start at multiples of the interval since the epoch; empty ones are left
 * out.
 */
public record LogHistogram(String by, long intervalMillis, List<Bucket> buckets) {

  public LogHistogram {
    buckets = List.copyOf(buckets);
  }

  /** One interval: its start and the count of each value of the field. */
  public record Bucket(Instant start, long total, Map<String, Long> counts) {
    public Bucket {
      counts = Map.copyOf(counts);
    }
  }
}
