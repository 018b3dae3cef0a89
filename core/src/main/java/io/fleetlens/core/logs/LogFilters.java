package io.fleetlens.core.logs;

/** Exact-match filters of a log search; a null field does not filter. */
public record LogFilters(
    String cluster,
    String namespace,
    String pod,
    String container,
    LogStream stream,
    LogLevel level) {

  public static LogFilters none() {
    return new LogFilters(null, null, null, null, null, null);
  }
}
