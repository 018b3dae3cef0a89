package io.fleetlens.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.fleetlens.core.metrics.Labels;
import io.fleetlens.storage.elasticsearch.metrics.HeadChunk;
import io.fleetlens.storage.elasticsearch.metrics.HeadChunkAccess;
import io.fleetlens.storage.elasticsearch.metrics.MetricIndexLayout;
import io.fleetlens.transport.kafka.SampleBatchCodec;
import io.fleetlens.transport.kafka.SeriesLabelBytes;

class SeriesHeadsTest {

  private static final long WINDOW = MetricIndexLayout.windowStart(1_795_435_200_000L);
  private static final long SECOND = 1_000_000_000L;

  private static Labels series(String instance) {
    return Labels.of("__name__", "up", "instance", instance);
  }

  private static SeriesLabelBytes key(String instance) {
    return SampleBatchCodec.labelBytes(series(instance));
  }

  @Test
  void aLaterWindowRetiresTheHeadUntilItIsStored() {
    SeriesHeads heads = new SeriesHeads(new SeriesHeads.Budget(10), 60 * SECOND);
    assertThat(heads.add(key("a"), series("a"), WINDOW + 1_000, 1, 0)).isEqualTo(SeriesHeads.Outcome.HELD);
    assertThat(heads.add(key("a"), series("a"), WINDOW + MetricIndexLayout.WINDOW_MS, 2, 0)).isEqualTo(SeriesHeads.Outcome.HELD);
    assertThat(heads.add(key("a"), series("a"), WINDOW + 2_000, 3, 0)).isEqualTo(SeriesHeads.Outcome.LATE);
    assertThat(heads.add(key("a"), series("a"), WINDOW + MetricIndexLayout.WINDOW_MS, 9, 0))
        .isEqualTo(SeriesHeads.Outcome.DUPLICATE);
    List<HeadChunk> unstored = heads.unstored();
    assertThat(unstored).extracting(HeadChunk::window).containsExactly(WINDOW, WINDOW + MetricIndexLayout.WINDOW_MS);
    assertThat(heads.size()).isEqualTo(1);
    assertThat(heads.allStored()).isFalse();
  }

  @Test
  void pastTheLimitANewSeriesIsRefusedUntilAStoredIdleHeadMakesRoom() {
    SeriesHeads.Budget budget = new SeriesHeads.Budget(2);
    SeriesHeads first = new SeriesHeads(budget, 600 * SECOND);
    SeriesHeads second = new SeriesHeads(budget, 600 * SECOND); // another consumer of the same process
    assertThat(first.add(key("a"), series("a"), WINDOW, 1, 0)).isEqualTo(SeriesHeads.Outcome.HELD);
    assertThat(second.add(key("b"), series("b"), WINDOW, 1, 0)).isEqualTo(SeriesHeads.Outcome.HELD);
    assertThat(first.add(key("c"), series("c"), WINDOW, 1, 0)).isEqualTo(SeriesHeads.Outcome.REFUSED);
    assertThat(first.lastRefusal()).isEqualTo("active series limit reached");
    assertThat(first.add(key("a"), series("a"), WINDOW + 15_000, 2, 0)).isEqualTo(SeriesHeads.Outcome.HELD); // held series go on

    // "a" is stored and idle for a minute: under pressure it makes room (not before its samples are stored)
    assertThat(first.add(key("c"), series("c"), WINDOW, 1, 70 * SECOND)).isEqualTo(SeriesHeads.Outcome.REFUSED);
    first.unstored().forEach(HeadChunkAccess::markStored);
    assertThat(first.add(key("c"), series("c"), WINDOW, 1, 70 * SECOND + SECOND / 2)).isEqualTo(SeriesHeads.Outcome.REFUSED); // once a second
    assertThat(first.add(key("c"), series("c"), WINDOW, 1, 72 * SECOND)).isEqualTo(SeriesHeads.Outcome.HELD);
    assertThat(budget.active()).isEqualTo(2);

    second.clear();
    assertThat(budget.active()).isEqualTo(1);
  }

  @Test
  void aNearlyFullHeapRefusesNewSeriesAndSaysSo() {
    java.util.concurrent.atomic.AtomicBoolean full = new java.util.concurrent.atomic.AtomicBoolean();
    SeriesHeads heads = new SeriesHeads(new SeriesHeads.Budget(10, full::get), 600 * SECOND);
    assertThat(heads.add(key("a"), series("a"), WINDOW, 1, 0)).isEqualTo(SeriesHeads.Outcome.HELD);
    full.set(true);
    assertThat(heads.add(key("b"), series("b"), WINDOW, 1, 0)).isEqualTo(SeriesHeads.Outcome.REFUSED);
    assertThat(heads.lastRefusal()).isEqualTo("heap nearly full");
    assertThat(heads.add(key("a"), series("a"), WINDOW + 15_000, 2, 0)).isEqualTo(SeriesHeads.Outcome.HELD);
    full.set(false);
    assertThat(heads.add(key("b"), series("b"), WINDOW, 1, 2 * SECOND)).isEqualTo(SeriesHeads.Outcome.HELD);
  }

  @Test
  void storedHeadsIdleLongerThanTheirTimeAreDroppedAfterAWrite() {
    SeriesHeads.Budget budget = new SeriesHeads.Budget(10);
    SeriesHeads heads = new SeriesHeads(budget, 60 * SECOND);
    heads.add(key("a"), series("a"), WINDOW, 1, 0);
    heads.add(key("b"), series("b"), WINDOW, 1, 50 * SECOND);
    heads.unstored().forEach(HeadChunkAccess::markStored);
    assertThat(heads.allStored()).isTrue();
    heads.afterWrite(61 * SECOND);
    assertThat(heads.size()).isEqualTo(1);
    assertThat(budget.active()).isEqualTo(1);
    assertThat(heads.retainedBytes()).isPositive();
  }
}
