package io.fleetlens.core.logs;

import java.util.List;

/**
 * The records around one hit in its container and stream: up to N before it and N after it, each
 * list oldest first, as Kibana's "view surrounding documents" shows them.
 */
public record LogContext(List<LogHit> before, LogHit hit, List<LogHit> after) {

  public LogContext {
    before = List.copyOf(before);
    after = List.copyOf(after);
  }
}
