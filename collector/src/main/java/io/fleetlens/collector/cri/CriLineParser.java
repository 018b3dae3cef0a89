package io.fleetlens.collector.cri;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Optional;

import io.fleetlens.collector.files.Line;
import io.fleetlens.core.logs.LogStream;

/** Parses the CRI log format that containerd and CRI-O write. */
public final class CriLineParser {

  private CriLineParser() {
  }

  /** The parsed line, or empty when the line is not in the CRI format. */
  public static Optional<CriLine> parse(Line line) {
    byte[] b = line.bytes();
    int s1 = indexOf(b, (byte) ' ', 0);
    int s2 = indexOf(b, (byte) ' ', s1 + 1);
    if (s1 <= 0 || s2 < 0) {
      return Optional.empty();
    }
    int s3 = indexOf(b, (byte) ' ', s2 + 1);
    int tagEnd = s3 < 0 ? b.length : s3;
    Optional<Instant> time = timestamp(b, s1);
    Optional<LogStream> stream = stream(b, s1 + 1, s2);
    Optional<Boolean> partial = tag(b, s2 + 1, tagEnd);
    if (time.isEmpty() || stream.isEmpty() || partial.isEmpty()) {
      return Optional.empty();
    }
    byte[] message = s3 < 0 ? new byte[0] : Arrays.copyOfRange(b, s3 + 1, b.length);
    return Optional.of(new CriLine(time.get(), stream.get(), partial.get(), message, line.start(), line.end(),
        line.truncated()));
  }

  private static Optional<Instant> timestamp(byte[] b, int end) {
    try {
      String text = new String(b, 0, end, StandardCharsets.US_ASCII);
      return Optional.of(OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static Optional<LogStream> stream(byte[] b, int from, int to) {
    String name = new String(b, from, to - from, StandardCharsets.US_ASCII);
    return switch (name) {
      case "stdout" -> Optional.of(LogStream.STDOUT);
      case "stderr" -> Optional.of(LogStream.STDERR);
      default -> Optional.empty();
    };
  }

  /** The first tag of a colon-separated tag list: P (partial) or F (full). */
  private static Optional<Boolean> tag(byte[] b, int from, int to) {
    if (to <= from || (to - from > 1 && b[from + 1] != ':')) {
      return Optional.empty();
    }
    return switch (b[from]) {
      case 'P' -> Optional.of(true);
      case 'F' -> Optional.of(false);
      default -> Optional.empty();
    };
  }

  private static int indexOf(byte[] b, byte value, int from) {
    for (int i = from; i < b.length; i++) {
      if (b[i] == value) {
        return i;
      }
    }
    return -1;
  }
}
