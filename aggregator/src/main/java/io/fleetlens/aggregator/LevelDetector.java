package io.fleetlens.aggregator;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fleetlens.core.logs.LogLevel;

/**
 * Finds the level a log line shows: the {@code level} (or {@code severity}, {@code lvl},
 * {@code log.level}) field of a JSON line (given as its {@link JsonFields}), a logfmt {@code level=}, a klog prefix such as
 * {@code E1123 10:00:00.000000}, or an upper-case level word among the line's first words.
 */
final class LevelDetector {

  private static final String[] JSON_FIELDS = {"level", "severity", "lvl", "log.level", "loglevel"};
  private static final Pattern LOGFMT = Pattern.compile("(?:^|\\s)(?:level|lvl|severity)=\"?([A-Za-z]+)");
  private static final Pattern KLOG = Pattern.compile("^([IWEF])\\d{4} \\d{2}:\\d{2}:\\d{2}");
  private static final Pattern LEADING_WORD = Pattern.compile(
      "^(?:\\S+\\s+){0,4}?[\\[(<]?(TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|ERR|SEVERE|FATAL|CRITICAL|PANIC)[\\])>:]?(?:\\s|$)");

  private LevelDetector() {
  }

  static Optional<LogLevel> detect(String message) {
    return detect(message, JsonFields.of(message));
  }

  static Optional<LogLevel> detect(String message, Map<String, String> jsonFields) {
    for (String field : JSON_FIELDS) {
      String value = jsonFields.get(field);
      if (value != null) {
        return LogLevel.parse(value);
      }
    }
    String trimmed = message.stripLeading();
    Matcher logfmt = LOGFMT.matcher(message);
    if (logfmt.find()) {
      return LogLevel.parse(logfmt.group(1));
    }
    Matcher klog = KLOG.matcher(trimmed);
    if (klog.find()) {
      return Optional.of(switch (klog.group(1)) {
        case "I" -> LogLevel.INFO;
        case "W" -> LogLevel.WARN;
        case "E" -> LogLevel.ERROR;
        default -> LogLevel.FATAL;
      });
    }
    Matcher word = LEADING_WORD.matcher(trimmed.length() > 200 ? trimmed.substring(0, 200) : trimmed);
    return word.find() ? LogLevel.parse(word.group(1)) : Optional.empty();
  }
}
