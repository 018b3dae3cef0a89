package io.fleetlens.storage.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import co.elastic.clients.elasticsearch.ElasticsearchClient;

import io.fleetlens.core.logs.ContainerRef;
import io.fleetlens.core.logs.InvalidQueryException;
import io.fleetlens.core.logs.LogFilters;
import io.fleetlens.core.logs.LogHit;
import io.fleetlens.core.logs.LogLevel;
import io.fleetlens.core.logs.LogOrigin;
import io.fleetlens.core.logs.LogPage;
import io.fleetlens.core.logs.LogQuery;
import io.fleetlens.core.logs.LogRecord;
import io.fleetlens.core.logs.LogStream;
import io.fleetlens.core.logs.WriteOutcome;
import io.fleetlens.core.pods.PodMetadata;
import io.fleetlens.core.pods.Workload;
import io.fleetlens.testkit.ElasticsearchFixture;
import io.fleetlens.testkit.RealServers;

@ExtendWith(RealServers.class)
class ElasticsearchLogStoreIT {

  private static final AtomicInteger TESTS = new AtomicInteger();
  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00.000000001Z");

  private ElasticsearchClient client;
  private ElasticsearchLogWriter writer;
  private ElasticsearchLogStore store;
  private String indices; // this test's own

  @BeforeEach
  void freshIndices(ElasticsearchFixture elasticsearch) throws Exception {
    ElasticsearchSettings settings = new ElasticsearchSettings(List.of(elasticsearch.httpUrl()),
        "store-it-" + TESTS.incrementAndGet(), 1, 0, "100ms", false);
    LogIndexLayout layout = new LogIndexLayout(settings.indexPrefix());
    indices = settings.indexPrefix() + "-*";
    client = ElasticsearchClients.create(settings);
    LogIndexTemplate.install(client, settings, layout);
    writer = new ElasticsearchLogWriter(client, layout);
    store = new ElasticsearchLogStore(client, layout);
  }

  private static LogRecord record(int i, String namespace, LogStream stream, LogLevel level, String message) {
    return new LogRecord("prod-eu", "node-1", new ContainerRef(namespace, "pod-" + (i % 3), "uid", "app"),
        T0.plusNanos(i * 1_000L), stream, message, false, level, new LogOrigin("dev=1,ino=2", i * 100L));
  }

  private void refresh() throws Exception {
    client.indices().refresh(r -> r.index(indices));
  }

  private LogQuery query(String text, LogFilters filters, int limit, String cursor) {
    return new LogQuery(text, filters, T0.minus(Duration.ofHours(1)), T0.plus(Duration.ofHours(1)), limit, cursor);
  }

  @Test
  void writingTheSameRecordTwiceStoresItOnce() throws Exception {
    LogRecord once = record(1, "shop", LogStream.STDOUT, LogLevel.INFO, "hello");
    assertThat(writer.write(List.of(once))).containsExactly(new WriteOutcome.Written());
    assertThat(writer.write(List.of(once))).containsExactly(new WriteOutcome.AlreadyPresent());
    refresh();
    LogPage page = store.search(query(null, LogFilters.none(), 10, null));
    assertThat(page.hits()).extracting(LogHit::record).containsExactly(once);
  }

  @Test
  void podMetadataAndJsonFieldsAreStoredWithDottedKeysSideBySide() throws Exception {
    LogRecord plain = record(1, "shop", LogStream.STDOUT, LogLevel.INFO, "{\"status\":200}");
    LogRecord enriched = plain
        .withPod(new PodMetadata(Map.of("app", "cart", "app.kubernetes.io/name", "cart"),
            Map.of("team", "checkout"), new Workload("Deployment", "cart")))
        .withFields(Map.of("status", "200", "http.path", "/pay"));
    LogRecord other = record(2, "shop", LogStream.STDOUT, LogLevel.INFO, "{\"status\":\"ok\"}")
        .withFields(Map.of("status", "ok", "http", "yes"));
    assertThat(writer.write(List.of(enriched, other)))
        .containsExactly(new WriteOutcome.Written(), new WriteOutcome.Written());
    refresh();
    LogPage page = store.search(query(null, LogFilters.none(), 10, null));
    assertThat(page.hits()).extracting(LogHit::record).containsExactly(other, enriched);
    long byLabel = client.count(c -> c.index(indices)
        .query(q -> q.term(t -> t.field("labels.app.kubernetes.io/name").value("cart")))).count();
    long byWorkload = client.count(c -> c.index(indices)
        .query(q -> q.term(t -> t.field("workload.name").value("cart")))).count();
    long byField = client.count(c -> c.index(indices)
        .query(q -> q.term(t -> t.field("fields.status").value("ok")))).count();
    assertThat(List.of(byLabel, byWorkload, byField)).containsExactly(1L, 1L, 1L);
  }

  @Test
  void filtersAndTextNarrowTheHitsNewestFirst() throws Exception {
    writer.write(List.of(
        record(1, "shop", LogStream.STDOUT, LogLevel.INFO, "order placed id=1"),
        record(2, "shop", LogStream.STDERR, LogLevel.ERROR, "payment failed for order 2"),
        record(3, "billing", LogStream.STDERR, LogLevel.ERROR, "payment failed for invoice 3"),
        record(4, "shop", LogStream.STDERR, LogLevel.ERROR, "payment failed for order 4")));
    refresh();
    LogFilters shopErrors = new LogFilters("prod-eu", "shop", null, "app", LogStream.STDERR, LogLevel.ERROR);
    LogPage page = store.search(query("payment failed", shopErrors, 10, null));
    assertThat(page.hits()).extracting(h -> h.record().message())
        .containsExactly("payment failed for order 4", "payment failed for order 2");
    assertThat(page.nextCursor()).isNull();
  }

  @Test
  void cursorPagesThroughEveryHitOnceWhileMoreArrive() throws Exception {
    List<LogRecord> records = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      records.add(record(i, "shop", LogStream.STDOUT, LogLevel.INFO, "line " + i));
    }
    writer.write(records);
    refresh();
    Set<String> seen = new HashSet<>();
    String cursor = null;
    int pages = 0;
    do {
      LogPage page = store.search(query(null, LogFilters.none(), 40, cursor));
      page.hits().forEach(h -> assertThat(seen.add(h.record().message())).isTrue());
      cursor = page.nextCursor();
      if (pages++ == 1) {
        writer.write(List.of(record(10_000, "shop", LogStream.STDOUT, LogLevel.INFO, "late newest line")));
        refresh();
      }
    } while (cursor != null);
    assertThat(seen).hasSize(250).doesNotContain("late newest line");
  }

  @Test
  void foreignCursorIsRefusedNamingTheParameter() {
    assertThatThrownBy(() -> store.search(query(null, LogFilters.none(), 10, "bm90LWEtY3Vyc29y")))
        .isInstanceOf(InvalidQueryException.class)
        .extracting(e -> ((InvalidQueryException) e).parameter()).isEqualTo("cursor");
  }

  @Test
  void documentThatCannotBeMappedIsRejectedAndTheRestLands() throws Exception {
    LogRecord good = record(1, "shop", LogStream.STDOUT, LogLevel.INFO, "fine");
    LogRecord tooLong = record(2, "shop", LogStream.STDOUT, LogLevel.INFO, "fine too")
        .withLevel(null);
    tooLong = new LogRecord(tooLong.cluster(), tooLong.node(),
        new ContainerRef("x".repeat(40_000), "p", "u", "c"), tooLong.timestamp(), tooLong.stream(),
        tooLong.message(), false, null, tooLong.origin());
    List<WriteOutcome> outcomes = writer.write(List.of(good, tooLong));
    assertThat(outcomes.get(0)).isEqualTo(new WriteOutcome.Written());
    assertThat(outcomes.get(1)).isInstanceOf(WriteOutcome.Rejected.class);
  }

  @Test
  void volumesCountEachLineInTheWindowsItBelongsToEvenAtAWindowsEdge() throws Exception {
    Instant base = Instant.parse("2026-11-23T11:00:00Z");
    long b = base.getEpochSecond() * 1_000_000_000L;
    // lines exactly on edges, a nanosecond and a few hundred nanoseconds after them, and mid-window
    long[] offsets = {0, 1, 300, 999, 1_000, 1_001, 1_999, 2_000, 500_000_000, 1_000_000_000, 1_000_000_001,
        1_999_999_999, 2_000_000_000};
    List<LogRecord> records = new ArrayList<>();
    for (int i = 0; i < offsets.length; i++) {
      records.add(new LogRecord("prod-eu", "node-1", new ContainerRef("edges", "pod-" + (i % 2), "uid", "app"),
          Instant.ofEpochSecond(0, b + offsets[i]), LogStream.STDOUT, "line " + i, false, LogLevel.INFO,
          new LogOrigin("edges", i)));
    }
    writer.write(records);
    refresh();
    io.fleetlens.core.logs.LogWindows windows = new io.fleetlens.core.logs.LogWindows(b, 1_000_000_000L, 3,
        1_000_000_000L); // (b-1s, b], (b, b+1s], (b+1s, b+2s]
    io.fleetlens.core.logs.LogSelection selection = new io.fleetlens.core.logs.LogSelection(List.of(
        io.fleetlens.core.metrics.LabelMatcher.of("namespace", io.fleetlens.core.metrics.LabelMatcher.Type.EQUAL,
            "edges")), Instant.ofEpochSecond(0, b - 999_999_999), Instant.ofEpochSecond(0, b + 2_000_000_001L), true,
        1_000, io.fleetlens.core.access.Scope.ALL);
    long[] expected = new long[3];
    for (long o : offsets) {
      expected[o == 0 ? 0 : o <= 1_000_000_000L ? 1 : 2]++;
    }
    for (List<String> labels : List.of(List.<String>of(), List.of("pod"))) {
      long[] lines = new long[3];
      long bytes = 0;
      for (io.fleetlens.core.logs.LogVolume v : store.volume(selection, labels, windows)) {
        lines[v.window()] += v.lines();
        bytes += v.bytes();
      }
      assertThat(lines).as("lines per window, by " + labels).containsExactly(expected);
      assertThat(bytes).isEqualTo(records.stream().mapToLong(r -> r.message().length()).sum());
    }
    // overlapping windows, two seconds wide a second apart: (b-2s, b] and (b-1s, b+1s]
    io.fleetlens.core.logs.LogSelection wider = new io.fleetlens.core.logs.LogSelection(selection.matchers(),
        Instant.ofEpochSecond(0, b - 1_999_999_999), selection.end(), true, 1_000, io.fleetlens.core.access.Scope.ALL);
    long[] overlapping = new long[2];
    for (io.fleetlens.core.logs.LogVolume v : store.volume(wider, List.of("pod"),
        new io.fleetlens.core.logs.LogWindows(b, 1_000_000_000L, 2, 2_000_000_000L))) {
      overlapping[v.window()] += v.lines();
    }
    assertThat(overlapping).containsExactly(1, 10);
  }

  @Test
  void aVolumeIsRefusedOnlyWhereALineHasAStoredFieldThatWouldBeALabelTheQueryNames() throws Exception {
    String message = "{\"level\":\"debug\",\"log.level\":\"warn\",\"app.kubernetes.io/name\":\"x\"}";
    LogRecord line = record(1, "fields", LogStream.STDOUT, LogLevel.INFO, message)
        .withPod(new PodMetadata(Map.of("app.kubernetes.io/name", "cart"), Map.of(), null))
        .withFields(Map.of("level", "debug", "log.level", "warn", "app.kubernetes.io/name", "x"));
    writer.write(List.of(line));
    refresh();
    long second = T0.getEpochSecond() * 1_000_000_000L;
    io.fleetlens.core.logs.LogSelection selection = new io.fleetlens.core.logs.LogSelection(List.of(
        io.fleetlens.core.metrics.LabelMatcher.of("namespace", io.fleetlens.core.metrics.LabelMatcher.Type.EQUAL,
            "fields")), Instant.ofEpochSecond(0, second - 2_000_000_000L), Instant.ofEpochSecond(0, second
            + 2_000_000_000L), true, 1_000, io.fleetlens.core.access.Scope.ALL);
    for (io.fleetlens.core.logs.LogWindows windows : List.of(
        io.fleetlens.core.logs.LogWindows.one(second - 1_000_000_000L, second + 1_000_000_000L),
        new io.fleetlens.core.logs.LogWindows(second, 1_000_000_000L, 2, 1_000_000_000L))) {
      // the stream labels level and app_kubernetes_io_name (a pod label's) win over the fields of those names
      for (Set<String> named : List.of(Set.of("level"), Set.of("app_kubernetes_io_name"), Set.of("user"))) {
        var counted = store.volume(selection, List.of("pod"), windows, named, false);
        assertThat(counted).as("grouped by " + named + " over " + windows).isPresent();
        assertThat(counted.get()).extracting(io.fleetlens.core.logs.LogVolume::lines).containsExactly(1L);
        assertThat(counted.get()).extracting(io.fleetlens.core.logs.LogVolume::bytes).containsExactly(0L);
      }
      // log.level is the field of label log_level, which no stream label holds
      assertThat(store.volume(selection, List.of("pod"), windows, Set.of("log_level", "user"), true))
          .as("grouped by log_level over " + windows).isEmpty();
      assertThat(store.volume(selection, List.of(), windows, Set.of(), true).orElseThrow())
          .extracting(io.fleetlens.core.logs.LogVolume::bytes).containsExactly((long) message.length());
    }
  }

  @Test
  void aSelectionThatMustContainTextGetsExactlyTheLinesThatContainItNewestFirst() throws Exception {
    List<String> messages = List.of("ERROR checkout failed for cart 7", "precheckout failedx", "Checkout Failed",
        "checkout  failed", "it failed for a.b", "value 1,5 x and a.b.c", "x-y and x_y", "10.0.0.5 - GET",
        "10.0.0.51 - GET", "(err) in parens", "err", "naïve café failed", "payment service answered 503 twice",
        "answered 5030", "ends with checkout fail", "checkout failedly");
    List<LogRecord> records = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      records.add(new LogRecord("prod-eu", "node-1", new ContainerRef("texts", "pod-0", "uid", "app"),
          T0.plusSeconds(i), LogStream.STDOUT, messages.get(i), false, LogLevel.INFO, new LogOrigin("texts", i)));
    }
    writer.write(records);
    refresh();
    List<String> needles = List.of("checkout failed", "failed", "ailed fo", ".5 x", "a.b", "x-y", "x_y",
        "10.0.0.5 ", "(err)", "err", "café failed", "answered 503", "503", "checkout fail", "Checkout", "nowhere");
    for (String needle : needles) {
      io.fleetlens.core.logs.LogSelection selection = new io.fleetlens.core.logs.LogSelection(List.of(
          io.fleetlens.core.metrics.LabelMatcher.of("namespace", io.fleetlens.core.metrics.LabelMatcher.Type.EQUAL,
              "texts")), List.of(needle), T0.minusSeconds(1), T0.plusSeconds(60), true, 100,
          io.fleetlens.core.access.Scope.ALL);
      List<String> expected = new ArrayList<>();
      for (int i = messages.size() - 1; i >= 0; i--) {
        if (messages.get(i).contains(needle)) {
          expected.add(messages.get(i));
        }
      }
      assertThat(store.select(selection)).extracting(h -> h.record().message()).as("lines containing \"" + needle
          + "\"").containsExactlyElementsOf(expected);
    }
  }
}
