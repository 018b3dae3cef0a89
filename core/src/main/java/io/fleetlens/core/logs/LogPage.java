package io.fleetlens.core.logs;

import java.util.List;

/** One page of search results; {@code nextCursor} is null when there is nothing after it. */
public record LogPage(List<LogHit> hits, String nextCursor) {

  public LogPage {
    hits = List.copyOf(hits);
  }
}
