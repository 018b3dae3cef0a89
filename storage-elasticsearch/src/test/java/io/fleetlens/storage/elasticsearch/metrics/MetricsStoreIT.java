package io.fleetlens.storage.elasticsearch.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import co.elastic.clients.elasticsearch.ElasticsearchClient;

import io.fleetlens.core.logs.WriteOutcome;
import io.fleetlens.core.metrics.LabelMatcher;
import io.fleetlens.core.metrics.Labels;
import io.fleetlens.core.metrics.Sample;
import io.fleetlens.core.metrics.SeriesStore.StoredSeries;
import io.fleetlens.core.metrics.StaleNaN;
import io.fleetlens.storage.elasticsearch.ElasticsearchClients;
import io.fleetlens.storage.elasticsearch.ElasticsearchSettings;
import io.fleetlens.testkit.ElasticsearchFixture;
import io.fleetlens.testkit.RealServers;

@ExtendWith(RealServers.class)
class MetricsStoreIT {

  private static final AtomicInteger TESTS = new AtomicInteger();
  private static final long T0 = 1_795_435_200_000L; // 2026-11-23T08:00:00Z

  private ElasticsearchClient client;
  private MetricIndexLayout layout;
  private ElasticsearchSampleWriter writer;
  private ElasticsearchSeriesStore store;
  private MetricIndices indices;
  private SampleCompactor compactor;

  @BeforeEach
  void fresh(ElasticsearchFixture elasticsearch) throws Exception {
    ElasticsearchSettings settings = new ElasticsearchSettings(List.of(elasticsearch.httpUrl()),
        "metrics-it-" + TESTS.incrementAndGet(), 1, 0, "100ms", false);
    client = ElasticsearchClients.create(settings);
    layout = new MetricIndexLayout(settings.indexPrefix());
    indices = new MetricIndices(client, layout, 1, 0, "100ms");
    writer = new ElasticsearchSampleWriter(client, layout, indices);
    store = new ElasticsearchSeriesStore(client, layout, 1_000, 64 << 20); // chunks cached (the contract IT: not)
    compactor = new SampleCompactor(client, layout, indices, "metrics-it", 60_000);
  }

  private static Sample sample(String name, String cluster, String instance, long t, double v) {
    return new Sample(name, new TreeMap<>(Map.of("cluster", cluster, "instance", instance, "job", "node")), t, v);
  }

  private void refresh() throws Exception {
    client.indices().refresh(r -> r.index(layout.samplePattern(), layout.chunkPattern(), layout.seriesIndex())
        .allowNoIndices(true).ignoreUnavailable(true));
  }

  @Test
  void samplesComeBackPerSeriesInTimeOrderWithSpecialValuesAndNoDuplicates() throws Exception {
    List<Sample> batch = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      batch.add(sample("http_requests_total", "eu", "a:9100", T0 + i * 15_000L, i * 10));
      batch.add(sample("http_requests_total", "us", "b:9100", T0 + i * 15_000L, i * 20));
    }
    batch.add(sample("odd", "eu", "a:9100", T0, Double.NaN));
    batch.add(sample("odd", "eu", "a:9100", T0 + 1, Double.POSITIVE_INFINITY));
    batch.add(sample("odd", "eu", "a:9100", T0 + 2, StaleNaN.VALUE));
    assertThat(writer.write(batch)).allMatch(o -> o instanceof WriteOutcome.Written);
    assertThat(writer.write(batch.subList(0, 10))).allMatch(o -> o instanceof WriteOutcome.AlreadyPresent);
    // a sample of the next day lands in that day's index
    assertThat(writer.write(List.of(sample("http_requests_total", "eu", "a:9100", T0 + 86_400_000L, 5))))
        .allMatch(o -> o instanceof WriteOutcome.Written);
    refresh();

    List<StoredSeries> found = store.select(List.of(
        LabelMatcher.of(Labels.METRIC_NAME, LabelMatcher.Type.EQUAL, "http_requests_total"),
        LabelMatcher.of("cluster", LabelMatcher.Type.REGEX, "e.*")), T0, T0 + 2 * 86_400_000L);
    assertThat(found).hasSize(1);
    StoredSeries eu = found.get(0);
    assertThat(eu.labels()).isEqualTo(Labels.of("__name__", "http_requests_total", "cluster", "eu",
        "instance", "a:9100", "job", "node"));
    assertThat(eu.timestamps()).hasSize(101).isSorted();
    assertThat(eu.values()[99]).isEqualTo(990);
    assertThat(eu.values()[100]).isEqualTo(5);

    StoredSeries odd = store.select(List.of(LabelMatcher.of(Labels.METRIC_NAME, LabelMatcher.Type.EQUAL, "odd")),
        T0, T0 + 10).get(0);
    assertThat(Double.isNaN(odd.values()[0]) && !StaleNaN.is(odd.values()[0])).isTrue();
    assertThat(odd.values()[1]).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(StaleNaN.is(odd.values()[2])).isTrue();

    String euId = MetricIndexLayout.seriesId(eu.labels());
    assertThat(store.activeSeries(T0 + 86_400_000L - 1_000, T0 + 86_400_000L + 1_000)).containsExactly(euId);
    assertThat(store.activeSeries(T0, T0 + 1_000)).hasSize(3).contains(euId);

    assertThat(store.select(List.of(LabelMatcher.of("cluster", LabelMatcher.Type.NOT_EQUAL, "eu"),
        LabelMatcher.of(Labels.METRIC_NAME, LabelMatcher.Type.EQUAL, "http_requests_total")), T0, T0 + 60_000))
        .extracting(s -> s.labels().get("cluster")).containsExactly("us");
  }

  @Test
  void aLookupMadeAgainSeesTheSeriesThatAppearedSince() throws Exception {
    List<LabelMatcher> up = List.of(LabelMatcher.of(Labels.METRIC_NAME, LabelMatcher.Type.EQUAL, "up"),
        LabelMatcher.of("instance", LabelMatcher.Type.REGEX, "a.*"));
    writer.write(List.of(sample("up", "eu", "a:9100", T0, 1), sample("up", "eu", "b:9100", T0, 1)));
    refresh();
    assertThat(store.seriesById(up, T0, T0 + 60_000)).hasSize(1);
    assertThat(store.seriesById(up, T0, T0 + 60_000)).hasSize(1); // the kept lookup, checked by its count

    writer.write(List.of(sample("up", "eu", "a:9200", T0 + 15_000, 1)));
    refresh();
    assertThat(store.seriesById(up, T0, T0 + 30_000).values()).extracting(l -> l.get("instance"))
        .containsExactlyInAnyOrder("a:9100", "a:9200");
    assertThat(store.select(up, T0, T0 + 30_000)).hasSize(2);
    // callers may change what they get: the kept lookup is not theirs
    store.seriesById(up, T0, T0 + 30_000).clear();
    assertThat(store.seriesById(up, T0, T0 + 30_000)).hasSize(2);
  }

  @Test
  void aQueryOverTheSeriesLimitIsRefused() throws Exception {
    List<Sample> batch = new ArrayList<>();
    for (int i = 0; i < 1_001; i++) {
      batch.add(sample("many", "eu", "host-" + i, T0, i));
    }
    writer.write(batch);
    refresh();
    assertThatThrownBy(() -> store.select(List.of(LabelMatcher.of(Labels.METRIC_NAME, LabelMatcher.Type.EQUAL,
        "many")), T0, T0)).isInstanceOf(io.fleetlens.core.metrics.TooManySeriesException.class);
  }

  @Test
  void compactedWindowsAnswerTheSameAndLateSamplesJoinTheirChunk() throws Exception {
    long window = MetricIndexLayout.windowStart(T0);
    List<Sample> batch = new ArrayList<>();
    for (int i = 0; i < 600; i++) { // 2.5 h every 15 s: the first window whole, half of the next
      long t = window + i * 15_000L;
      batch.add(sample("http_requests_total", "eu", "a:9100", t, i * 3));
      batch.add(sample("http_requests_total", "us", "b:9100", t, i % 50 == 49 ? StaleNaN.VALUE : i));
    }
    assertThat(writer.write(batch)).allMatch(o -> o instanceof WriteOutcome.Written);
    refresh();
    List<LabelMatcher> all = List.of(LabelMatcher.of(Labels.METRIC_NAME, LabelMatcher.Type.EQUAL, "http_requests_total"));
    List<StoredSeries> before = store.select(all, window + 1_000, window + 9_000_000);
    long end = window + MetricIndexLayout.WINDOW_MS;

    assertThat(compactor.compactDue(end + 59_000, 60_000)).isEmpty(); // still in its grace time
    List<SampleCompactor.Compacted> done = compactor.compactDue(end + 60_000, 60_000);

    assertThat(done).containsExactly(new SampleCompactor.Compacted(layout.sampleIndex(window), 960, 2));
    assertThat(client.indices().exists(e -> e.index(layout.sampleIndex(window))).value()).isFalse();
    assertThat(client.indices().exists(e -> e.index(layout.sampleIndex(end))).value()).isTrue();
    refresh();
    assertThat(client.count(c -> c.index(layout.chunkPattern())).count()).isEqualTo(2);
    List<StoredSeries> after = store.select(all, window + 1_000, window + 9_000_000);
    assertSameSeries(after, before);
    assertThat(store.activeSeries(window + 100_000, window + 200_000)).hasSize(2);

    // a late sample and a replayed one for the compacted window: the late one joins, the replay is not doubled;
    // one at the time of a packed sample with another value: the packed one is kept, as compaction keeps it
    assertThat(writer.write(List.of(sample("http_requests_total", "eu", "a:9100", window + 7_000, 1_000_000),
        sample("http_requests_total", "eu", "a:9100", window + 15_000, 3),
        sample("http_requests_total", "eu", "a:9100", window + 30_000, 999))))
        .allMatch(o -> o instanceof WriteOutcome.Written);
    refresh();
    List<LabelMatcher> euOnly = List.of(all.get(0), LabelMatcher.of("cluster", LabelMatcher.Type.EQUAL, "eu"));
    StoredSeries eu = store.select(euOnly, window, window + 30_000).get(0);
    assertThat(eu.timestamps()).containsExactly(window, window + 7_000, window + 15_000, window + 30_000);
    assertThat(eu.values()).containsExactly(0, 1_000_000, 3, 6);
    StoredSeries cold = new ElasticsearchSeriesStore(client, layout, 1_000, 64 << 20).select(euOnly, window,
        window + 30_000).get(0); // its chunk read by id, after the search
    assertThat(cold.values()).containsExactly(eu.values());

    assertThat(compactor.compactDue(end + 120_000, 60_000)).extracting(SampleCompactor.Compacted::samples)
        .containsExactly(3L);
    refresh();
    assertThat(client.count(c -> c.index(layout.chunkPattern())).count()).isEqualTo(2);
    StoredSeries merged = store.select(List.of(all.get(0), LabelMatcher.of("cluster", LabelMatcher.Type.EQUAL, "eu")),
        window, window + 30_000).get(0);
    assertThat(merged.timestamps()).containsExactly(eu.timestamps());
    assertThat(merged.values()).containsExactly(eu.values());
  }

  @Test
  void readsOfMoreThanOnePageOfHitsComeBackWhole() throws Exception {
    long window = MetricIndexLayout.windowStart(T0);
    List<Sample> batch = new ArrayList<>();
    for (int i = 0; i < 12_500; i++) { // one sample document each: more hits than one search answers
      batch.add(sample("busy", "eu", "i-" + i % 5, window + i / 5 * 2_000L, i));
    }
    assertThat(writer.write(batch)).allMatch(o -> o instanceof WriteOutcome.Written);
    refresh();
    List<LabelMatcher> busy = List.of(LabelMatcher.of(Labels.METRIC_NAME, LabelMatcher.Type.EQUAL, "busy"));
    List<StoredSeries> before = store.select(busy, window, window + MetricIndexLayout.WINDOW_MS);
    assertThat(before).hasSize(5).allSatisfy(s -> assertThat(s.timestamps()).hasSize(2_500));
    assertThat(before).allSatisfy(s -> assertThat(s.values()[2_499])
        .isEqualTo(12_495 + Integer.parseInt(s.labels().get("instance").substring(2))));

    assertThat(compactor.compactDue(window + MetricIndexLayout.WINDOW_MS + 60_000, 60_000))
        .extracting(SampleCompactor.Compacted::samples).containsExactly(12_500L);
    refresh();
    assertSameSeries(store.select(busy, window, window + MetricIndexLayout.WINDOW_MS), before);
  }

  @Test
  void chunksWrittenBeforeTheirSamplesHadDocValuesAreReadAndCompactedInto() throws Exception {
    long window = MetricIndexLayout.windowStart(T0);
    String chunkIndex = layout.chunkIndex(window);
    // a chunk index and document as an earlier version wrote them: the packed samples in the source's data
    client.indices().create(c -> c.index(chunkIndex).withJson(new java.io.StringReader("""
        {"settings": {"number_of_shards": 1, "number_of_replicas": 0},
         "mappings": {"dynamic": "strict", "properties": {"series_id": {"type": "keyword"},
           "start": {"type": "date", "format": "epoch_millis"}, "end": {"type": "date", "format": "epoch_millis"},
           "count": {"type": "integer", "index": false}, "data": {"type": "binary"}}}}""")));
    Sample late = sample("http_requests_total", "eu", "a:9100", window + 45_000, 4);
    String seriesId = MetricIndexLayout.seriesId(ElasticsearchSampleWriter.labelsOf(late));
    byte[] packed = SampleChunk.encode(new long[] {window, window + 15_000, window + 30_000}, new double[] {1, 2, 3}, 0, 3);
    client.index(i -> i.index(chunkIndex).id(MetricIndexLayout.chunkId(seriesId, window)).document(Map.of(
        "series_id", seriesId, "start", window, "end", window + 30_000, "count", 3,
        "data", java.util.Base64.getEncoder().encodeToString(packed))));

    indices.ensureInstalled(); // gives the old index the samples field
    assertThat(writer.write(List.of(late))).allMatch(o -> o instanceof WriteOutcome.Written);
    refresh();
    List<LabelMatcher> all = List.of(LabelMatcher.of(Labels.METRIC_NAME, LabelMatcher.Type.EQUAL, "http_requests_total"));
    StoredSeries read = store.select(all, window, window + 60_000).get(0);
    assertThat(read.timestamps()).containsExactly(window, window + 15_000, window + 30_000, window + 45_000);
    assertThat(read.values()).containsExactly(1, 2, 3, 4);

    long end = window + MetricIndexLayout.WINDOW_MS;
    assertThat(compactor.compactDue(end + 60_000, 60_000)).extracting(SampleCompactor.Compacted::samples)
        .containsExactly(1L);
    refresh();
    var stored = client.search(s -> s.index(chunkIndex).docvalueFields(d -> d.field("samples")), Void.class)
        .hits().hits();
    assertThat(stored).hasSize(1);
    assertThat(stored.get(0).fields()).containsKey("samples"); // written over in the new form
    StoredSeries compacted = store.select(all, window, window + 60_000).get(0);
    assertThat(compacted.timestamps()).containsExactly(read.timestamps());
    assertThat(compacted.values()).containsExactly(read.values());
  }

  @Test
  void samplesForAWindowBeingCompactedAreRetriedNotRejected() throws Exception {
    Sample s = sample("up", "eu", "a:9100", T0, 1);
    writer.write(List.of(s));
    client.indices().addBlock(b -> b.index(layout.sampleIndex(T0))
        .block(co.elastic.clients.elasticsearch.indices.IndicesBlockOptions.Write));
    assertThat(writer.write(List.of(sample("up", "eu", "a:9100", T0 + 15_000, 1))))
        .allMatch(o -> o instanceof WriteOutcome.Retry);
  }

  private static void assertSameSeries(List<StoredSeries> actual, List<StoredSeries> expected) {
    assertThat(actual).extracting(StoredSeries::labels)
        .containsExactlyElementsOf(expected.stream().map(StoredSeries::labels).toList());
    for (int i = 0; i < expected.size(); i++) {
      assertThat(actual.get(i).timestamps()).containsExactly(expected.get(i).timestamps());
      for (int k = 0; k < expected.get(i).values().length; k++) {
        assertThat(Double.doubleToRawLongBits(actual.get(i).values()[k]))
            .isEqualTo(Double.doubleToRawLongBits(expected.get(i).values()[k]));
      }
    }
  }

  @Test
  void labelsAndSeriesOfARangeAreThoseWithSamplesOnItsDays() throws Exception {
    long day = 86_400_000L;
    writer.write(List.of(new Sample("old_metric", new TreeMap<>(Map.of("cluster", "eu", "zone", "a")), T0, 1)));
    writer.write(List.of(new Sample("new_metric", new TreeMap<>(Map.of("cluster", "us")), T0 + 2 * day, 1)));
    // a sample of an earlier day moves the series' first day back
    writer.write(List.of(new Sample("new_metric", new TreeMap<>(Map.of("cluster", "us")), T0 - 5 * day, 1)));
    refresh();

    assertThat(store.labelNames(T0 + 2 * day, T0 + 2 * day + 1_000)).containsExactly("__name__", "cluster");
    assertThat(store.labelNames(T0, T0 + 1_000)).containsExactly("__name__", "cluster", "zone");
    assertThat(store.labelNames(Long.MIN_VALUE, Long.MAX_VALUE)).containsExactly("__name__", "cluster", "zone");
    assertThat(store.labelValues("cluster", 100, T0 + 2 * day, T0 + 3 * day)).containsExactly("us");
    assertThat(store.labelValues("cluster", 100, T0 + day, T0 + day + 1_000)).containsExactly("us"); // between its days
    assertThat(store.labelValues("cluster", 100, T0 - 7 * day, T0 - 6 * day)).isEmpty();
    assertThat(store.labelValues("__name__", 100, Long.MIN_VALUE, Long.MAX_VALUE))
        .containsExactly("new_metric", "old_metric");
    assertThat(store.seriesById(List.of(), T0 + 3 * day, T0 + 4 * day)).isEmpty();
    assertThat(store.seriesById(List.of(), T0 - 5 * day, T0 - 5 * day)).hasSize(1);
  }

  @Test
  void headChunksAreStoredAsTheirWindowsDocumentsAndReplaysMergeWithoutDoubles() throws Exception {
    long window = MetricIndexLayout.windowStart(T0);
    ElasticsearchChunkWriter chunks = new ElasticsearchChunkWriter(client, layout, indices);
    Labels eu = Labels.of("__name__", "http_requests_total", "cluster", "eu", "instance", "a:9100", "job", "node");
    Labels us = Labels.of("__name__", "http_requests_total", "cluster", "us", "instance", "b:9100", "job", "node");
    HeadChunk euHead = new HeadChunk(MetricIndexLayout.seriesId(eu), eu, window);
    HeadChunk usHead = new HeadChunk(MetricIndexLayout.seriesId(us), us, window);
    for (int i = 0; i < 100; i++) {
      euHead.append(window + i * 15_000L, i);
      usHead.append(window + i * 15_000L, i % 10 == 9 ? StaleNaN.VALUE : i * 2);
    }
    ElasticsearchChunkWriter.Outcome first = chunks.write(List.of(euHead, usHead));
    assertThat(first.stored()).isEqualTo(200);
    assertThat(first.left()).isEmpty();
    assertThat(euHead.isStored()).isTrue();

    refresh();
    List<LabelMatcher> all = List.of(LabelMatcher.of(Labels.METRIC_NAME, LabelMatcher.Type.EQUAL, "http_requests_total"));
    assertThat(store.select(all, window, window + MetricIndexLayout.WINDOW_MS - 1))
        .allSatisfy(s -> assertThat(s.timestamps()).hasSize(100)); // and the chunks are in the cache

    // the heads grow; their documents are written over, and read anew
    for (int i = 100; i < 150; i++) {
      euHead.append(window + i * 15_000L, i);
    }
    assertThat(chunks.write(List.of(euHead, usHead)).stored()).isEqualTo(50);
    refresh();
    assertThat(client.count(c -> c.index(layout.chunkPattern())).count()).isEqualTo(2);
    List<StoredSeries> found = new ArrayList<>(store.select(all, window, window + MetricIndexLayout.WINDOW_MS - 1));
    found.sort(java.util.Comparator.comparing(series -> series.labels().get("cluster")));
    assertThat(found).extracting(StoredSeries::labels).containsExactly(eu, us);
    assertThat(found.get(0).timestamps()).hasSize(150).isSorted();
    assertThat(found.get(0).values()[149]).isEqualTo(149);
    assertThat(StaleNaN.is(found.get(1).values()[9])).isTrue();
    assertThat(store.activeSeries(window, window + 1_000)).hasSize(2);

    // after a crash the aggregator reads the same samples again, and a few new ones, into a fresh head
    HeadChunk replay = new HeadChunk(euHead.seriesId(), eu, window);
    for (int i = 140; i < 160; i++) {
      replay.append(window + i * 15_000L, i);
    }
    ElasticsearchChunkWriter.Outcome replayed = chunks.write(List.of(replay));
    assertThat(replayed.duplicate()).isEqualTo(10);
    assertThat(replayed.stored()).isEqualTo(10);
    assertThat(replay.size()).isEqualTo(160);

    // a late sample merged into the document by the compactor meanwhile: the head's next write keeps it
    writer.write(List.of(new Sample("http_requests_total", new TreeMap<>(Map.of("cluster", "eu", "instance", "a:9100",
        "job", "node")), window + 7_000, 1_000_000)));
    refresh();
    assertThat(compactor.compactDue(window + MetricIndexLayout.WINDOW_MS + 60_000, 60_000)).hasSize(1);
    replay.append(window + 160 * 15_000L, 160);
    ElasticsearchChunkWriter.Outcome afterCompaction = chunks.write(List.of(replay));
    assertThat(afterCompaction.stored()).isEqualTo(1);
    assertThat(afterCompaction.duplicate()).isZero();
    refresh();
    StoredSeries merged = store.select(List.of(all.get(0), LabelMatcher.of("cluster", LabelMatcher.Type.EQUAL, "eu")),
        window, window + MetricIndexLayout.WINDOW_MS - 1).get(0);
    assertThat(merged.timestamps()).hasSize(162).isSorted().contains(window + 7_000);
    assertThat(merged.values()[1]).isEqualTo(1_000_000);
    assertThat(merged.values()[161]).isEqualTo(160);
  }
}
