package io.fleetlens.storage.elasticsearch.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;

import org.junit.jupiter.api.Test;

import io.fleetlens.core.metrics.StaleNaN;

class SampleChunkTest {

  private static void assertRoundTrip(long[] ts, double[] vs) {
    SampleChunk.Points back = SampleChunk.decode(SampleChunk.encode(ts, vs, 0, ts.length));
    assertThat(back.timestamps()).containsExactly(ts);
    for (int i = 0; i < vs.length; i++) {
      assertThat(Double.doubleToRawLongBits(back.values()[i])).as("value %d", i)
          .isEqualTo(Double.doubleToRawLongBits(vs[i]));
    }
  }

  @Test
  void aRegularlyScrapedCounterCostsAboutTwoBytesPerSample() {
    int n = 240;
    long[] ts = new long[n];
    double[] vs = new double[n];
    for (int i = 0; i < n; i++) {
      ts[i] = 1_795_435_200_000L + i * 30_000L + (i % 7 == 0 ? 3 : 0);
      vs[i] = 1_000 + i * 17.0;
    }
    byte[] chunk = SampleChunk.encode(ts, vs, 0, n);
    assertRoundTrip(ts, vs);
    assertThat(chunk.length).isLessThan(n * 3);
  }

  @Test
  void specialValuesKeepTheirExactBits() {
    long[] ts = {1, 2, 3, 4, 5, 6, 7};
    double[] vs = {0, Double.NaN, StaleNaN.VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 1e-300};
    assertRoundTrip(ts, vs);
    assertThat(StaleNaN.is(SampleChunk.decode(SampleChunk.encode(ts, vs, 0, 7)).values()[2])).isTrue();
  }

  @Test
  void randomTimestampsAndValuesComeBackExactly() {
    Random random = new Random(42);
    for (int round = 0; round < 2_000; round++) {
      int n = 1 + random.nextInt(300);
      long[] ts = new long[n];
      double[] vs = new double[n];
      long t = random.nextLong(-1_000_000_000_000L, 2_000_000_000_000L);
      for (int i = 0; i < n; i++) {
        t += switch (random.nextInt(4)) {
          case 0 -> 15_000;
          case 1 -> random.nextInt(100);
          case 2 -> random.nextInt(10_000_000);
          default -> random.nextLong(1L << 40);
        };
        ts[i] = t;
        vs[i] = switch (random.nextInt(5)) {
          case 0 -> i == 0 ? 1 : vs[i - 1];
          case 1 -> random.nextGaussian() * 1e6;
          case 2 -> Double.longBitsToDouble(random.nextLong());
          case 3 -> random.nextInt(10);
          default -> (i == 0 ? 0 : vs[i - 1]) + 0.5;
        };
      }
      assertRoundTrip(ts, vs);
    }
  }

  @Test
  void aSliceOfTheArraysIsPacked() {
    long[] ts = {10, 20, 30, 40};
    double[] vs = {1, 2, 3, 4};
    SampleChunk.Points back = SampleChunk.decode(SampleChunk.encode(ts, vs, 1, 3));
    assertThat(back.timestamps()).containsExactly(20, 30);
    assertThat(back.values()).containsExactly(2, 3);
  }

  @Test
  void aTruncatedChunkIsAnErrorNotGarbage() {
    long[] ts = {10, 20, 30, 40};
    double[] vs = {1, 2.5, 3.75, 4e9};
    byte[] chunk = SampleChunk.encode(ts, vs, 0, 4);
    assertThatThrownBy(() -> SampleChunk.decode(java.util.Arrays.copyOf(chunk, chunk.length - 3)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SampleChunk.encode(new long[] {2, 1}, new double[] {1, 1}, 0, 2))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
