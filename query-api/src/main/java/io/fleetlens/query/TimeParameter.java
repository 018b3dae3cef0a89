package io.fleetlens.query;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

import io.fleetlens.core.logs.InvalidQueryException;

/** Reads a time as the Prometheus HTTP API does: RFC 3339, or Unix seconds with an optional fraction. */
final class TimeParameter {

  private TimeParameter() {
  }

  static Instant parse(String name, String value) {
    try {
      if (value.matches("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?")) {
        BigDecimal seconds = new BigDecimal(value);
        return Instant.ofEpochSecond(seconds.longValue(),
            seconds.remainder(BigDecimal.ONE).movePointRight(9).longValue());
      }
      return OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException | ArithmeticException e) {
      throw new InvalidQueryException(name, "not an RFC 3339 time or Unix seconds: " + value);
    }
  }
}
