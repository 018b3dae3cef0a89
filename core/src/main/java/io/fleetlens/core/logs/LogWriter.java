package io.fleetlens.core.logs;

import java.util.List;

/** Where the aggregator puts log records. Writing the same record twice stores it once. */
public interface LogWriter {

  /**
   * Writes a batch and says, for each record in order, what became of it.
   *
   * @throws StoreUnavailableException when the store could not be reached at all
   */
  List<WriteOutcome> write(List<LogRecord> records) throws StoreUnavailableException;

  /** True when the store answers now. */
  boolean isAvailable();
}
