package io.fleetlens.core.logs;

/** Where the query API reads log records from. */
public interface LogStore {

  /**
   * Runs a search.
   *
   * @throws InvalidQueryException when the query names something the store cannot search by (a
   *     cursor it did not hand out, say)
   * @throws StoreUnavailableException when the store could not answer
   */
  LogPage search(LogQuery query) throws StoreUnavailableException;

  /**
   * How many records match the query's filters and text in its time range (limit and cursor do not
   * apply): what log alert rules count.
   *
   * @throws StoreUnavailableException when the store could not answer
   */
  long count(LogQuery query) throws StoreUnavailableException;
}
