package io.fleetlens.collector.format;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Optional;

import io.fleetlens.collector.files.Line;
import io.fleetlens.core.logs.LogStream;
import io.fleetlens.core.time.Rfc3339;

/**
 * The CRI log format of containerd and CRI-O: {@code <RFC 3339 time> <stdout|stderr> <P|F>[:tags] <message>}.
 */
public final class CriFormat implements LineFormat {

  public static final String NOT_CRI = "not_cri";

  @Override
  public String badInputReason() {
    return NOT_CRI;
  }

  @Override
  public Optional<Fragment> parse(Line line) {
    byte[] b = line.bytes();
    int s1 = indexOf(b, 0);
    int s2 = indexOf(b, s1 + 1);
    if (s1 <= 0 || s2 < 0) {
      return Optional.empty();
    }
    int s3 = indexOf(b, s2 + 1);
    int tagEnd = s3 < 0 ? b.length : s3;
    Instant time = timestamp(b, s1);
    LogStream stream = stream(b, s1 + 1, s2);
    Boolean partial = tag(b, s2 + 1, tagEnd);
    if (time == null || stream == null || partial == null) {
      return Optional.empty();
    }
    byte[] message = s3 < 0 ? new byte[0] : Arrays.copyOfRange(b, s3 + 1, b.length);
    return Optional.of(new Fragment(time, stream, partial, message, line));
  }

  private static Instant timestamp(byte[] b, int end) {
    try {
      return Rfc3339.parse(b, 0, end);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static LogStream stream(byte[] b, int from, int to) {
    String name = new String(b, from, to - from, StandardCharsets.US_ASCII);
    return switch (name) {
      case "stdout" -> LogStream.STDOUT;
      case "stderr" -> LogStream.STDERR;
      default -> null;
    };
  }

  /** The first tag of a colon-separated tag list: P (partial) or F (full). */
  private static Boolean tag(byte[] b, int from, int to) {
    if (to <= from || (to - from > 1 && b[from + 1] != ':')) {
      return null;
    }
    return switch (b[from]) {
      case 'P' -> Boolean.TRUE;
      case 'F' -> Boolean.FALSE;
      default -> null;
    };
  }

  private static int indexOf(byte[] b, int from) {
    for (int i = from; i < b.length; i++) {
      if (b[i] == ' ') {
        return i;
      }
    }
    return -1;
  }
}
