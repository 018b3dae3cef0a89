package io.fleetlens.storage.elasticsearch;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.fleetlens.core.logs.ContainerRef;
import io.fleetlens.core.logs.LogLevel;
import io.fleetlens.core.logs.LogOrigin;
import io.fleetlens.core.logs.LogRecord;
import io.fleetlens.core.logs.LogStream;
import io.fleetlens.core.pods.PodMetadata;
import io.fleetlens.core.pods.Workload;

/** The JSON source of a log document; field names and types are those of log-index-template.json. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
record LogDocument(
    @JsonProperty("@timestamp") String timestamp,
    @JsonProperty("sub_ms") Integer subMillisecond,
    String cluster,
    String node,
    String namespace,
    String pod,
    @JsonProperty("pod_uid") String podUid,
    String container,
    String stream,
    String level,
    String message,
    Long bytes,
    boolean truncated,
    Origin origin,
    Map<String, String> labels,
    Map<String, String> annotations,
    Owner workload,
    Map<String, String> fields,
    @JsonProperty("event_id") String eventId) {

  record Origin(String file, long offset) {
  }

  record Owner(String kind, String name) {
  }

  static LogDocument of(LogRecord r, String id) {
    ContainerRef c = r.container();
    return new LogDocument(r.timestamp().toString(), r.timestamp().getNano() % 1_000_000, r.cluster(), r.node(), c.namespace(), c.pod(), c.podUid(),
        c.name(), r.stream().wireName(), r.level() == null ? null : r.level().wireName(), r.message(),
        utf8Length(r.message()), r.truncated(), new Origin(r.origin().fileId(), r.origin().offset()), nullIfEmpty(r.pod().labels()),
        nullIfEmpty(r.pod().annotations()), owner(r.pod().workload()), nullIfEmpty(r.fields()), id);
  }

  /** The message's size in UTF-8 bytes, what log volumes add up, counted without encoding it. */
  static long utf8Length(String s) {
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }

  private static Owner owner(Workload workload) {
    return workload == null ? null : new Owner(workload.kind(), workload.name());
  }

  private static Map<String, String> nullIfEmpty(Map<String, String> map) {
    return map.isEmpty() ? null : map;
  }

  private PodMetadata podMetadata() {
    if (labels == null && annotations == null && workload == null) {
      return PodMetadata.UNKNOWN;
    }
    return new PodMetadata(labels == null ? Map.of() : labels, annotations == null ? Map.of() : annotations,
        workload == null ? null : new Workload(workload.kind(), workload.name()));
  }

  LogRecord toRecord() {
    return new LogRecord(cluster, node, new ContainerRef(namespace, pod, podUid, container),
        io.fleetlens.core.time.Rfc3339.parse(timestamp), LogStream.fromWireName(stream), message, truncated,
        level == null ? null : LogLevel.parse(level).orElse(null), new LogOrigin(origin.file(), origin.offset()),
        podMetadata(), fields == null ? Map.of() : fields);
  }
}
