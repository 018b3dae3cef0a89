package io.fleetlens.core.logs;

import java.util.List;

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

  /**
   * The lines a stream selector picks, in the selection's order: what LogQL reads before its
   * pipeline runs.
   *
   * @throws StoreUnavailableException when the store could not answer
   */
  List<LogHit> select(LogSelection selection) throws StoreUnavailableException;

  /**
   * The stream label names of the lines a selection picks (any line in its range when it has no
   * matchers), sorted: the fixed ones a line has and its pod labels' names.
   *
   * @throws StoreUnavailableException when the store could not answer
   */
  java.util.SortedSet<String> labelNames(LogSelection selection) throws StoreUnavailableException;

  /**
   * The values stream label {@code name} takes on the lines a selection picks, sorted, at most
   * the selection's limit of them.
   *
   * @throws StoreUnavailableException when the store could not answer
   */
  java.util.SortedSet<String> labelValues(String name, LogSelection selection) throws StoreUnavailableException;

  /**
   * The distinct stream label sets ({@link StreamLabels}) of the lines a selection picks, at most
   * the selection's limit of them.
   *
   * @throws StoreUnavailableException when the store could not answer
   */
  List<io.fleetlens.core.metrics.Labels> streams(LogSelection selection) throws StoreUnavailableException;

  /**
   * The lines and bytes of the lines a selection picks, per distinct values of the stream labels
   * {@code labels} (a line lacking one of them is counted without it), in each of
   * {@code windows} (which lie in the selection's range; the selection's order does not apply), in
   * no promised order, windows without lines left out. A store stops reading once it has found
   * more label sets than the selection's limit, and says so by answering more than that many.
   *
   * @throws StoreUnavailableException when the store could not answer
   */
  default List<LogVolume> volume(LogSelection selection, List<String> labels, LogWindows windows)
      throws StoreUnavailableException {
    return volume(selection, labels, windows, java.util.Set.of(), true).orElseThrow();
  }

  /**
   * The volume as {@link #volume(LogSelection, List, LogWindows)} counts it, unless a line the
   * selection picks has a stored field (a JSON message's) whose label name
   * ({@link StreamLabels#name}) is one of {@code unlessFields} and no stream label of that name (a
   * stream label wins over a stored field of the same name): then empty, as a query that groups by
   * such a name must read the lines. Without {@code bytes}, every count's bytes are 0 (a store
   * may count faster without them).
   *
   * @throws StoreUnavailableException when the store could not answer
   */
  java.util.Optional<List<LogVolume>> volume(LogSelection selection, List<String> labels, LogWindows windows,
      java.util.Set<String> unlessFields, boolean bytes) throws StoreUnavailableException;

  /**
   * The records a search matches (its filters, text and range; limit and cursor do not apply) per
   * {@code intervalMillis}, split by the values of {@code by}: a stream label ({@code level},
   * {@code namespace}, ...), {@code label.<key>} (a pod label), {@code field.<key>} (a JSON
   * field), or null for no split.
   *
   * @throws InvalidQueryException when {@code by} names nothing the store can split by
   * @throws StoreUnavailableException when the store could not answer
   */
  LogHistogram histogram(LogQuery query, String by, long intervalMillis) throws StoreUnavailableException;

  /**
   * The hit {@code id} names and up to {@code before} and {@code after} records around it in the
   * same container and stream, within what {@code scope} may see; empty when the scope sees no such
   * hit.
   *
   * @throws StoreUnavailableException when the store could not answer
   */
  java.util.Optional<LogContext> context(String id, int before, int after, io.fleetlens.core.access.Scope scope)
      throws StoreUnavailableException;
}
