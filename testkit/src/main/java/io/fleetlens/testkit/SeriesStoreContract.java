package io.fleetlens.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fleetlens.core.access.Scope;
import io.fleetlens.core.metrics.LabelMatcher;
import io.fleetlens.core.metrics.Labels;
import io.fleetlens.core.metrics.MetricMetadata;
import io.fleetlens.core.metrics.Sample;
import io.fleetlens.core.metrics.ScopedSeriesStore;
import io.fleetlens.core.metrics.SeriesStore;
import io.fleetlens.core.metrics.SeriesStore.StoredSeries;

/**
 * What every {@link SeriesStore} must answer, and what {@link ScopedSeriesStore} must hide, over one
 * small data set: two request counters of two teams, a node counter without a namespace, and a
 * gauge three days older. Each store implementation subclasses this with a fresh store per test.
 */
public abstract class SeriesStoreContract {

  protected static final long T0 = 1_795_435_200_000L; // 2026-11-23T08:00:00Z
  protected static final long DAY = 86_400_000L;
  private static final long HOUR = 3_600_000L;

  private static final Labels CART = Labels.of("__name__", "http_requests_total", "cluster", "eu", "namespace",
      "shop", "pod", "cart-1");
  private static final Labels API = Labels.of("__name__", "http_requests_total", "cluster", "us", "namespace",
      "payments", "pod", "api-1");
  private static final Labels NODE = Labels.of("__name__", "node_cpu_seconds_total", "cluster", "eu", "instance",
      "n1");
  private static final Labels OLD = Labels.of("__name__", "queue_depth", "cluster", "us", "namespace", "shop");

  private SeriesStore store;

  /** A new, empty store. */
  protected abstract SeriesStore emptyStore() throws Exception;

  /** Writes into the store made last; what is written is readable when this returns. */
  protected abstract void write(List<Sample> samples, List<MetricMetadata> descriptions) throws Exception;

  @BeforeEach
  void writeTheDataSet() throws Exception {
    store = emptyStore();
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      long t = T0 + i * 15_000L;
      samples.add(sample(CART, t, i));
      samples.add(sample(API, t, 2 * i));
      samples.add(sample(NODE, t, 0.5 * i));
    }
    samples.add(sample(OLD, T0 - 3 * DAY, 7));
    write(samples, List.of(
        new MetricMetadata("http_requests_total", "counter", "Requests served.", ""),
        new MetricMetadata("node_cpu_seconds_total", "counter", "CPU time spent.", "seconds"),
        new MetricMetadata("queue_depth", "gauge", "Jobs waiting.", "")));
  }

  private static Sample sample(Labels labels, long t, double value) {
    TreeMap<String, String> own = new TreeMap<>(labels.toMap());
    own.remove(Labels.METRIC_NAME);
    return new Sample(labels.metricName(), own, t, value);
  }

  private static LabelMatcher eq(String name, String value) {
    return LabelMatcher.of(name, LabelMatcher.Type.EQUAL, value);
  }

  private static LabelMatcher re(String name, String value) {
    return LabelMatcher.of(name, LabelMatcher.Type.REGEX, value);
  }

  private static final List<LabelMatcher> ANY = List.of(re("__name__", ".+"));

  @Test
  void selectGivesEachMatchingSeriesWithItsSamplesInTheRangeOldestFirst() {
    List<StoredSeries> found = store.select(List.of(eq("__name__", "http_requests_total"), eq("cluster", "eu")),
        T0 + 15_000, T0 + 45_000);

    assertThat(found).hasSize(1);
    assertThat(found.get(0).labels()).isEqualTo(CART);
    assertThat(found.get(0).timestamps()).containsExactly(T0 + 15_000, T0 + 30_000, T0 + 45_000);
    assertThat(found.get(0).values()).containsExactly(1, 2, 3);
  }

  @Test
  void selectAppliesRegexAndNegativeMatchersAndSkipsSeriesWithoutSamplesInTheRange() {
    List<LabelMatcher> matchers = List.of(re("cluster", "e.|u."),
        LabelMatcher.of("__name__", LabelMatcher.Type.NOT_EQUAL, "node_cpu_seconds_total"));

    assertThat(store.select(matchers, T0, T0 + HOUR)).extracting(StoredSeries::labels)
        .containsExactlyInAnyOrder(CART, API);
    assertThat(store.select(matchers, T0 - 3 * DAY, T0 - 3 * DAY)).extracting(StoredSeries::labels)
        .containsExactly(OLD);
  }

  @Test
  void seriesAreTheSortedLabelSetsWithASampleInTheRange() {
    assertThat(store.series(ANY, T0, T0 + HOUR)).containsExactly(CART, API, NODE);
    assertThat(store.series(ANY, T0 - 3 * DAY - 1_000, T0 - 3 * DAY + 1_000)).containsExactly(OLD);
    assertThat(store.series(List.of(eq("namespace", "shop")), T0 - 4 * DAY, T0 + HOUR)).containsExactly(CART, OLD);
    assertThat(store.series(ANY, T0 + 2 * DAY, T0 + 3 * DAY)).isEmpty();
  }

  @Test
  void labelNamesAreThoseOfTheMatchingSeriesOrOfAllWithTheMetricName() {
    assertThat(store.labelNames(List.of(), T0, T0 + HOUR))
        .containsExactly("__name__", "cluster", "instance", "namespace", "pod");
    assertThat(store.labelNames(List.of(eq("__name__", "node_cpu_seconds_total")), T0, T0 + HOUR))
        .containsExactly("__name__", "cluster", "instance");
    assertThat(store.labelNames(List.of(), T0 + 2 * DAY, T0 + 3 * DAY)).isEmpty();
  }

  @Test
  void labelValuesAreThoseOfOneLabelAcrossTheMatchingSeriesWithinTheLimit() {
    assertThat(store.labelValues("cluster", List.of(), 0, T0, T0 + HOUR)).containsExactly("eu", "us");
    assertThat(store.labelValues("__name__", List.of(), 0, T0, T0 + HOUR))
        .containsExactly("http_requests_total", "node_cpu_seconds_total");
    assertThat(store.labelValues("cluster", List.of(eq("namespace", "shop")), 0, T0, T0 + HOUR))
        .containsExactly("eu");
    assertThat(store.labelValues("namespace", List.of(eq("__name__", "node_cpu_seconds_total")), 0, T0, T0 + HOUR))
        .isEmpty();
    assertThat(store.labelValues("pod", ANY, 1, T0, T0 + HOUR)).hasSize(1);
  }

  @Test
  void metadataDescribesMetricsByNameWithinTheLimits() {
    Map<String, List<MetricMetadata>> all = store.metadata(null, 0, 0, T0, T0 + HOUR);
    assertThat(all.keySet()).containsExactly("http_requests_total", "node_cpu_seconds_total", "queue_depth");
    assertThat(all.get("node_cpu_seconds_total")).extracting(MetricMetadata::type, MetricMetadata::help,
        MetricMetadata::unit).containsExactly(org.assertj.core.groups.Tuple.tuple("counter", "CPU time spent.",
        "seconds"));
    assertThat(store.metadata("queue_depth", 0, 0, T0, T0 + HOUR).keySet()).containsExactly("queue_depth");
    assertThat(store.metadata(null, 2, 0, T0, T0 + HOUR)).hasSize(2);
    assertThat(store.metadata("no_such_metric", 0, 0, T0, T0 + HOUR)).isEmpty();
  }

  @Test
  void aScopedStoreShowsOnlyTheScopesSeriesThroughEveryMethod() {
    SeriesStore shop = ScopedSeriesStore.of(store, new Scope(List.of(new Scope.Part("eu", "shop"))));

    assertThat(shop.select(ANY, T0, T0 + HOUR)).extracting(StoredSeries::labels).containsExactly(CART);
    assertThat(shop.series(ANY, T0 - 4 * DAY, T0 + HOUR)).containsExactly(CART);
    assertThat(shop.labelNames(List.of(), T0, T0 + HOUR)).containsExactly("__name__", "cluster", "namespace", "pod");
    assertThat(shop.labelValues("cluster", List.of(), 0, T0, T0 + HOUR)).containsExactly("eu");
    assertThat(shop.labelValues("__name__", List.of(re("namespace", ".*")), 0, T0, T0 + HOUR))
        .containsExactly("http_requests_total");
    assertThat(shop.metadata(null, 0, 0, T0, T0 + HOUR).keySet()).containsExactly("http_requests_total");
    assertThat(shop.metadata("node_cpu_seconds_total", 0, 0, T0, T0 + HOUR)).isEmpty();
  }

  @Test
  void aScopedStoreSeesNamespacelessSeriesOnlyWhenItsNamespacePatternMatchesTheEmptyName() {
    SeriesStore eu = ScopedSeriesStore.of(store, new Scope(List.of(new Scope.Part("eu", ".*"))));

    assertThat(eu.series(ANY, T0, T0 + HOUR)).containsExactly(CART, NODE);
    assertThat(eu.labelValues("__name__", List.of(), 0, T0, T0 + HOUR))
        .containsExactly("http_requests_total", "node_cpu_seconds_total");
    assertThat(ScopedSeriesStore.of(store, Scope.ALL)).isSameAs(store);
  }
}
