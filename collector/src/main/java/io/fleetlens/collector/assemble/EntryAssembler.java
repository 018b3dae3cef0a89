package io.fleetlens.collector.assemble;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import io.fleetlens.collector.format.Fragment;
import io.fleetlens.core.logs.ContainerRef;
import io.fleetlens.core.logs.LogOrigin;
import io.fleetlens.core.logs.LogRecord;
import io.fleetlens.core.logs.LogStream;
import io.fleetlens.core.pods.PodMetadata;

/**
 * Builds one container's log entries from the fragments of its files, in the order they were
 * written, across rotations: joins partial fragments into lines, then lines into multi-line entries
 * (stack traces), each stream on its own so stdout and stderr never mix. An entry is kept to
 * {@code maxEntryBytes} and decoded as UTF-8. An entry starts where its first line starts, in the
 * file that line is in; while it is being built, no checkpoint of that file may pass its start.
 */
public final class EntryAssembler {

  private final String cluster;
  private final String node;
  private final ContainerRef container;
  private final int maxEntryBytes;
  private final MultilineRules multiline;
  private final long flushAfterMillis;
  private final BadInput badInput;
  private final Function<String, PodMetadata> pods;
  private final Map<LogStream, Building> lines = new EnumMap<>(LogStream.class);
  private final Map<LogStream, Building> entries = new EnumMap<>(LogStream.class);

  /** An entry or line under construction. */
  private final class Building {
    final EntrySource source;
    final long start;
    final Instant timestamp;
    final LogStream stream;
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final Set<EntrySource> sources = new LinkedHashSet<>();
    boolean truncated;
    String firstLine;
    String lastLine;
    long updatedMillis;

    Building(EntrySource source, long start, Instant timestamp, LogStream stream) {
      this.source = source;
      this.start = start;
      this.timestamp = timestamp;
      this.stream = stream;
      sources.add(source);
    }

    void append(byte[] message, int length, boolean cut, EntrySource from) {
      sources.add(from);
      int room = maxEntryBytes - bytes.size();
      if (length > room || cut) {
        truncated = true;
      }
      bytes.write(message, 0, Math.max(0, Math.min(length, room)));
    }
  }

  public EntryAssembler(String cluster, String node, ContainerRef container, int maxEntryBytes,
      MultilineRules multiline, long flushAfterMillis, BadInput badInput) {
    this(cluster, node, container, maxEntryBytes, multiline, flushAfterMillis, badInput, uid -> PodMetadata.UNKNOWN);
  }

  /** {@code pods} gives the metadata of a pod by uid, as known when an entry is complete. */
  public EntryAssembler(String cluster, String node, ContainerRef container, int maxEntryBytes,
      MultilineRules multiline, long flushAfterMillis, BadInput badInput, Function<String, PodMetadata> pods) {
    this.pods = pods;
    this.cluster = cluster;
    this.node = node;
    this.container = container;
    this.maxEntryBytes = maxEntryBytes;
    this.multiline = multiline;
    this.flushAfterMillis = flushAfterMillis;
    this.badInput = badInput;
  }

  /** Takes the next fragment from {@code source}; returns the records it completes. */
  public List<AssembledRecord> accept(Fragment fragment, EntrySource source, long nowMillis) {
    LogStream stream = fragment.stream();
    Building line = lines.computeIfAbsent(stream,
        s -> new Building(source, fragment.line().start(), fragment.timestamp(), s));
    line.append(fragment.message(), fragment.message().length, fragment.line().truncated(), source);
    if (fragment.partial()) {
      return List.of();
    }
    lines.remove(stream);
    List<AssembledRecord> done = new ArrayList<>(1);
    if (!multiline.enabled()) {
      done.add(complete(line));
      return done;
    }
    byte[] bytes = line.bytes.toByteArray();
    String text = new String(bytes, StandardCharsets.UTF_8);
    Building entry = entries.get(stream);
    if (entry != null && multiline.continues(entry.firstLine, entry.lastLine, text)) {
      entry.append(new byte[] {'\n'}, 1, false, source);
      entry.append(bytes, bytes.length, line.truncated, source);
      line.sources.forEach(entry.sources::add);
      entry.lastLine = text;
      entry.updatedMillis = nowMillis;
      return done;
    }
    line.firstLine = text;
    line.lastLine = text;
    line.updatedMillis = nowMillis;
    entries.put(stream, line);
    if (entry != null) {
      done.add(complete(entry));
    }
    return done;
  }

  /** Entries that waited longer than the flush timeout for another line: they are complete. */
  public List<AssembledRecord> flushIdle(long nowMillis) {
    List<Building> idle = entries.values().stream()
        .filter(entry -> nowMillis - entry.updatedMillis >= flushAfterMillis).toList();
    idle.forEach(entry -> entries.remove(entry.stream));
    return idle.stream().map(this::complete).toList();
  }

  /** The offset {@code source}'s checkpoint may reach now: not past any entry still being built. */
  public long resumeOffset(EntrySource source) {
    long resume = source.processedUpTo();
    for (Building b : lines.values()) {
      if (b.source == source) {
        resume = Math.min(resume, b.start);
      }
    }
    for (Building b : entries.values()) {
      if (b.source == source) {
        resume = Math.min(resume, b.start);
      }
    }
    return resume;
  }

  /** True while an entry that started in {@code source} is still being built. */
  public boolean holds(EntrySource source) {
    return lines.values().stream().anyMatch(b -> b.source == source)
        || entries.values().stream().anyMatch(b -> b.source == source);
  }

  private AssembledRecord complete(Building entry) {
    byte[] bytes = entry.bytes.toByteArray();
    Utf8.Decoded decoded = Utf8.decode(bytes, bytes.length, entry.truncated);
    if (entry.truncated) {
      badInput.report(BadInput.TRUNCATED, entry.source.path(), entry.start);
    }
    if (!decoded.valid()) {
      badInput.report(BadInput.INVALID_UTF8, entry.source.path(), entry.start);
    }
    String text = decoded.text();
    if (text.indexOf('\0') >= 0) {
      badInput.report(BadInput.NUL_BYTES, entry.source.path(), entry.start);
      text = text.replace("\0", "");
    }
    LogRecord record = new LogRecord(cluster, node, container, entry.timestamp, entry.stream, text,
        entry.truncated, null, new LogOrigin(entry.source.fileId(), entry.start), pods.apply(container.podUid()),
        Map.of());
    List<AssembledRecord.Mark> marks = new ArrayList<>(entry.sources.size());
    for (EntrySource source : entry.sources) {
      marks.add(new AssembledRecord.Mark(source, resumeOffset(source)));
    }
    return new AssembledRecord(record, marks);
  }
}
