package io.fleetlens.core.logs;

import java.util.Locale;
import java.util.Optional;

/** Severity of a log line, in the names most logging libraries print. */
public enum LogLevel {
  TRACE,
  DEBUG,
  INFO,
  WARN,
  ERROR,
  FATAL;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Maps the common spellings (warning, err, critical, panic...) to a level. */
  public static Optional<LogLevel> parse(String text) {
    return Optional.ofNullable(switch (text.trim().toUpperCase(Locale.ROOT)) {
      case "TRACE", "TRC" -> TRACE;
      case "DEBUG", "DBG", "FINE", "FINER", "FINEST" -> DEBUG;
      case "INFO", "INF", "NOTICE", "INFORMATION" -> INFO;
      case "WARN", "WARNING", "WRN" -> WARN;
      case "ERROR", "ERR", "SEVERE" -> ERROR;
      case "FATAL", "CRITICAL", "CRIT", "PANIC", "EMERG", "ALERT" -> FATAL;
      default -> null;
    });
  }
}
