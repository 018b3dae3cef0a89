package io.fleetlens.transport.kafka;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fleetlens.core.logs.ContainerRef;
import io.fleetlens.core.logs.LogLevel;
import io.fleetlens.core.logs.LogOrigin;
import io.fleetlens.core.logs.LogRecord;
import io.fleetlens.core.logs.LogStream;
import io.fleetlens.core.pods.PodMetadata;
import io.fleetlens.core.pods.Workload;
import io.fleetlens.core.time.Rfc3339;

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

  /**
   * Writes the record field by field with Jackson's streaming generator: the same JSON the
   * {@link Wire} record describes, without reflection, since every log line passes through here.
   */
  public byte[] encode(LogRecord record) {
    ContainerRef c = record.container();
    ByteArrayBuilder out = new ByteArrayBuilder(256 + record.message().length());
    try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("v", VERSION);
      g.writeStringField("cluster", record.cluster());
      g.writeStringField("node", record.node());
      g.writeStringField("namespace", c.namespace());
      g.writeStringField("pod", c.pod());
      g.writeStringField("podUid", c.podUid());
      g.writeStringField("container", c.name());
      g.writeStringField("time", Rfc3339.format(record.timestamp()));
      g.writeStringField("stream", record.stream().wireName());
      g.writeStringField("message", record.message());
      g.writeBooleanField("truncated", record.truncated());
      if (record.level() != null) {
        g.writeStringField("level", record.level().wireName());
      }
      g.writeObjectFieldStart("origin");
      g.writeStringField("file", record.origin().fileId());
      g.writeNumberField("offset", record.origin().offset());
      g.writeEndObject();
      PodMetadata pod = record.pod();
      writeMap(g, "labels", pod.labels());
      writeMap(g, "annotations", pod.annotations());
      if (pod.workload() != null) {
        g.writeObjectFieldStart("workload");
        g.writeStringField("kind", pod.workload().kind());
        g.writeStringField("name", pod.workload().name());
        g.writeEndObject();
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode a log record", e);
    }
    return out.toByteArray();
  }

  private static void writeMap(JsonGenerator g, String name, Map<String, String> map) throws IOException {
    if (map.isEmpty()) {
      return;
    }
    g.writeObjectFieldStart(name);
    for (Map.Entry<String, String> entry : map.entrySet()) {
      g.writeStringField(entry.getKey(), entry.getValue());
    }
    g.writeEndObject();
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
          Rfc3339.parse(wire.time()), LogStream.fromWireName(wire.stream()), wire.message(),
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


}
