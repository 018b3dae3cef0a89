package io.fleetlens.storage.elasticsearch;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.fleetlens.core.logs.ContainerRef;
import io.fleetlens.core.logs.LogLevel;
import io.fleetlens.core.logs.LogOrigin;
import io.fleetlens.core.logs.LogRecord;
import io.fleetlens.core.logs.LogStream;

/** The JSON source of a log document; field names and types are those of log-index-template.json. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
record LogDocument(
    @JsonProperty("@timestamp") String timestamp,
    String cluster,
    String node,
    String namespace,
    String pod,
    @JsonProperty("pod_uid") String podUid,
    String container,
    String stream,
    String level,
    String message,
    boolean truncated,
    Origin origin,
    @JsonProperty("event_id") String eventId) {

  record Origin(String file, long offset) {
  }

  static LogDocument of(LogRecord r, String id) {
    ContainerRef c = r.container();
    return new LogDocument(r.timestamp().toString(), r.cluster(), r.node(), c.namespace(), c.pod(), c.podUid(),
        c.name(), r.stream().wireName(), r.level() == null ? null : r.level().wireName(), r.message(),
        r.truncated(), new Origin(r.origin().fileId(), r.origin().offset()), id);
  }

  LogRecord toRecord() {
    return new LogRecord(cluster, node, new ContainerRef(namespace, pod, podUid, container),
        Instant.parse(timestamp), LogStream.fromWireName(stream), message, truncated,
        level == null ? null : LogLevel.parse(level).orElse(null), new LogOrigin(origin.file(), origin.offset()));
  }
}
