package io.fleetlens.transport.kafka;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fleetlens.core.logs.ContainerRef;
import io.fleetlens.core.logs.LogLevel;
import io.fleetlens.core.logs.LogOrigin;
import io.fleetlens.core.logs.LogRecord;
import io.fleetlens.core.logs.LogStream;
import io.fleetlens.core.pods.PodMetadata;
import io.fleetlens.core.pods.Workload;

/**
 * The value of a record on the logs topic: UTF-8 JSON, version 1, as described in this module's
 * README. Timestamps are RFC 3339 strings so nanoseconds survive.
 */
public final class LogRecordCodec {

  static final int VERSION = 1;

  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
      .setSerializationInclusion(JsonInclude.Include.NON_NULL);

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Wire(int v, String cluster, String node, String namespace, String pod, String podUid,
      String container, String time, String stream, String message, boolean truncated, String level,
      Origin origin, Map<String, String> labels, Map<String, String> annotations, Owner workload) {
  }

  record Owner(String kind, String name) {
  }

  record Origin(String file, long offset) {
  }

  public byte[] encode(LogRecord record) {
    ContainerRef c = record.container();
    Wire wire = new Wire(VERSION, record.cluster(), record.node(), c.namespace(), c.pod(), c.podUid(),
        c.name(), record.timestamp().toString(), record.stream().wireName(), record.message(),
        record.truncated(), record.level() == null ? null : record.level().wireName(),
        new Origin(record.origin().fileId(), record.origin().offset()),
        nullIfEmpty(record.pod().labels()), nullIfEmpty(record.pod().annotations()),
        record.pod().workload() == null ? null : new Owner(record.pod().workload().kind(), record.pod().workload().name()));
    try {
      return JSON.writeValueAsBytes(wire);
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode a log record", e);
    }
  }

  public LogRecord decode(byte[] value) throws MalformedRecordException {
    if (value == null) {
      throw new MalformedRecordException("empty record value", null);
    }
    try {
      Wire wire = JSON.readValue(value, Wire.class);
      if (wire.v() != VERSION) {
        throw new MalformedRecordException("unsupported record version " + wire.v(), null);
      }
      if (wire.origin() == null || wire.time() == null || wire.stream() == null) {
        throw new MalformedRecordException("record lacks origin, time or stream", null);
      }
      return new LogRecord(wire.cluster(), wire.node(),
          new ContainerRef(wire.namespace(), wire.pod(), wire.podUid(), wire.container()),
          Instant.parse(wire.time()), LogStream.fromWireName(wire.stream()), wire.message(),
          wire.truncated(), wire.level() == null ? null : LogLevel.parse(wire.level()).orElse(null),
          new LogOrigin(wire.origin().file(), wire.origin().offset()), pod(wire), Map.of());
    } catch (IOException | DateTimeParseException | IllegalArgumentException | NullPointerException e) {
      throw new MalformedRecordException("not a log record: " + e.getMessage(), e);
    }
  }

  private static PodMetadata pod(Wire wire) {
    if (wire.labels() == null && wire.annotations() == null && wire.workload() == null) {
      return PodMetadata.UNKNOWN;
    }
    return new PodMetadata(wire.labels() == null ? Map.of() : wire.labels(),
        wire.annotations() == null ? Map.of() : wire.annotations(),
        wire.workload() == null ? null : new Workload(wire.workload().kind(), wire.workload().name()));
  }

  private static Map<String, String> nullIfEmpty(Map<String, String> map) {
    return map.isEmpty() ? null : map;
  }
}
