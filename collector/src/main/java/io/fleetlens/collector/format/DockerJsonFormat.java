package io.fleetlens.collector.format;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import io.fleetlens.collector.files.Line;
import io.fleetlens.core.logs.LogStream;
import io.fleetlens.core.time.Rfc3339;

/**
 * Docker's json-file format: {@code {"log":"text\n","stream":"stdout","time":"<RFC 3339>"}} per line.
 * Docker splits output longer than 16 KiB into several lines; all but the last lack the trailing
 * newline in {@code log}, which makes them partial.
 */
public final class DockerJsonFormat implements LineFormat {

  public static final String BAD_JSON = "bad_json";

  private static final JsonFactory JSON = new JsonFactory();

  @Override
  public String badInputReason() {
    return BAD_JSON;
  }

  @Override
  public Optional<Fragment> parse(Line line) {
    String log = null;
    String stream = null;
    String time = null;
    try (JsonParser parser = JSON.createParser(line.bytes())) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return Optional.empty();
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        switch (field) {
          case "log" -> log = value == JsonToken.VALUE_STRING ? parser.getText() : null;
          case "stream" -> stream = value == JsonToken.VALUE_STRING ? parser.getText() : null;
          case "time" -> time = value == JsonToken.VALUE_STRING ? parser.getText() : null;
          default -> parser.skipChildren();
        }
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return fragment(log, stream, time, line);
  }

  private static Optional<Fragment> fragment(String log, String stream, String time, Line line) {
    if (log == null || time == null || !("stdout".equals(stream) || "stderr".equals(stream))) {
      return Optional.empty();
    }
    Instant timestamp;
    try {
      timestamp = Rfc3339.parse(time);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
    boolean partial = !log.endsWith("\n");
    String message = partial ? log : log.substring(0, log.length() - (log.endsWith("\r\n") ? 2 : 1));
    return Optional.of(new Fragment(timestamp, LogStream.fromWireName(stream), partial,
        message.getBytes(StandardCharsets.UTF_8), line));
  }
}
