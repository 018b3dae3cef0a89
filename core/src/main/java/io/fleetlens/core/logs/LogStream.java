package io.fleetlens.core.logs;

import java.util.Locale;

/** The stream a container wrote a line to. */
public enum LogStream {
  STDOUT,
  STDERR;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static LogStream fromWireName(String name) {
    return switch (name) {
      case "stdout" -> STDOUT;
      case "stderr" -> STDERR;
      default -> throw new IllegalArgumentException("unknown stream: " + name);
    };
  }
}
