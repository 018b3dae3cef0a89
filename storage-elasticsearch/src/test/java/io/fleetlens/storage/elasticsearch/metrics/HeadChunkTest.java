package io.fleetlens.storage.elasticsearch.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;

import org.junit.jupiter.api.Test;

import io.fleetlens.core.metrics.Labels;

class HeadChunkTest {

  private static final long WINDOW = MetricIndexLayout.windowStart(1_795_435_200_000L);

  private static HeadChunk head() {
    return new HeadChunk("s1", Labels.of("__name__", "up"), WINDOW);
  }

  @Test
  void anAppenderWritesWhatEncodeWrites() {
    Random random = new Random(7);
    for (int round = 0; round < 500; round++) {
      int n = 1 + random.nextInt(400);
      long[] ts = new long[n];
      double[] vs = new double[n];
      long t = random.nextLong(-1_000_000_000L, 1_000_000_000_000L);
      SampleChunk.Appender appender = new SampleChunk.Appender();
      for (int i = 0; i < n; i++) {
        t += random.nextInt(3) == 0 ? random.nextLong(1L << 36) : 15_000 + random.nextInt(5);
        ts[i] = t;
        vs[i] = random.nextBoolean() ? random.nextInt(1000) : random.nextGaussian() * 1e6;
        appender.append(ts[i], vs[i]);
        assertThat(appender.lastTimestamp()).isEqualTo(t);
      }
      assertThat(appender.size()).isEqualTo(n);
      assertThat(appender.firstTimestamp()).isEqualTo(ts[0]);
      assertThat(appender.toBytes()).isEqualTo(SampleChunk.encode(ts, vs, 0, n));
    }
  }

  @Test
  void aTruncatedChunkIsRefusedNotMisread() {
    long[] ts = {1, 2, 3, 4_000_000};
    double[] vs = {1.5, 2.5, 3.5, 4.5};
    byte[] whole = SampleChunk.encode(ts, vs, 0, 4);
    for (int cut = 0; cut < whole.length - 1; cut++) {
      byte[] part = java.util.Arrays.copyOf(whole, cut);
      assertThatThrownBy(() -> SampleChunk.decode(part)).as("cut at %d of %d", cut, whole.length)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void samplesOfItsWindowAreHeldInOrderAndOthersAreSentAway() {
    HeadChunk head = head();
    assertThat(head.append(WINDOW + 30_000, 3)).isEqualTo(HeadChunk.Append.ADDED);
    assertThat(head.append(WINDOW + 45_000, 4)).isEqualTo(HeadChunk.Append.ADDED);
    assertThat(head.append(WINDOW + 15_000, 2)).isEqualTo(HeadChunk.Append.ADDED); // out of order, same window
    assertThat(head.append(WINDOW + 30_000, 99)).isEqualTo(HeadChunk.Append.DUPLICATE);
    assertThat(head.append(WINDOW - 1, 1)).isEqualTo(HeadChunk.Append.EARLIER_WINDOW);
    assertThat(head.append(WINDOW + MetricIndexLayout.WINDOW_MS, 1)).isEqualTo(HeadChunk.Append.LATER_WINDOW);
    assertThat(head.points().timestamps()).containsExactly(WINDOW + 15_000, WINDOW + 30_000, WINDOW + 45_000);
    assertThat(head.points().values()).containsExactly(2, 3, 4);
    assertThat(head.unstored()).isEqualTo(3);
    assertThat(head.isStored()).isFalse();
    assertThat(head.firstTimestamp()).isEqualTo(WINDOW + 15_000);
    assertThat(head.lastTimestamp()).isEqualTo(WINDOW + 45_000);
  }

  @Test
  void aStoredHeadCountsOnlyWhatCameAfter() {
    HeadChunk head = head();
    head.append(WINDOW, 1);
    head.stored(5, 1);
    assertThat(head.isStored()).isTrue();
    assertThat(head.knowsVersion()).isTrue();
    head.append(WINDOW + 15_000, 2);
    assertThat(head.unstored()).isEqualTo(1);
    assertThat(head.size()).isEqualTo(2);
  }

  @Test
  void mergingWithTheStoredDocumentKeepsItsSamplesAndCountsTheReplayed() {
    HeadChunk head = head(); // a head replayed from Kafka after a crash: two samples stored before it
    head.append(WINDOW, 10);
    head.append(WINDOW + 15_000, 20);
    head.append(WINDOW + 30_000, 30);
    SampleChunk.Points stored = SampleChunk.decode(SampleChunk.encode(
        new long[] {WINDOW - 0 + 5_000, WINDOW + 15_000, WINDOW + 30_000}, new double[] {5, 21, 31}, 0, 3));
    int duplicates = head.mergeWith(stored, 7, 2);
    assertThat(duplicates).isEqualTo(2);
    assertThat(head.unstored()).isEqualTo(1);
    assertThat(head.seqNo()).isEqualTo(7);
    assertThat(head.primaryTerm()).isEqualTo(2);
    assertThat(head.points().timestamps()).containsExactly(WINDOW, WINDOW + 5_000, WINDOW + 15_000, WINDOW + 30_000);
    assertThat(head.points().values()).containsExactly(10, 5, 21, 31); // the stored sample wins
  }

  @Test
  void mergingWithNothingStoredKeepsEverythingUnstored() {
    HeadChunk head = head();
    head.append(WINDOW, 1);
    assertThat(head.mergeWith(null, -1, -1)).isZero();
    assertThat(head.unstored()).isEqualTo(1);
    assertThat(head.knowsVersion()).isFalse();
  }
}
