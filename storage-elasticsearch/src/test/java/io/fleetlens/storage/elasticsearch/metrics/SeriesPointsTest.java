package io.fleetlens.storage.elasticsearch.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** A series' samples gathered in any order come back in time order, the first of equal timestamps kept. */
class SeriesPointsTest {

  @Test
  void chunksInAnyOrderWithOverlapsComeBackSortedKeepingTheFirstOfEqualTimestamps() {
    Random random = new Random(11);
    for (int round = 0; round < 500; round++) {
      SeriesPoints points = new SeriesPoints();
      List<long[]> added = new ArrayList<>(); // {timestamp, order added}, values are the order added
      int pieces = 1 + random.nextInt(6);
      for (int p = 0; p < pieces; p++) {
        boolean single = random.nextInt(4) == 0; // a sample document, not a chunk
        long t = random.nextInt(50) * 10L;
        int n = single ? 1 : 1 + random.nextInt(20);
        for (int i = 0; i < n; i++) {
          points.add(t, added.size());
          added.add(new long[] {t, added.size()});
          t += 10 * (1 + random.nextInt(3)); // ascending inside a chunk
        }
      }
      if (random.nextInt(10) == 0) { // sometimes all in descending order
        points = new SeriesPoints();
        added.clear();
        for (long t = 500; t > 0; t -= 10) {
          points.add(t, added.size());
          added.add(new long[] {t, added.size()});
        }
      }
      List<long[]> expected = new ArrayList<>(added);
      expected.sort(Comparator.comparingLong(e -> e[0])); // stable
      List<long[]> kept = new ArrayList<>();
      for (long[] e : expected) {
        if (kept.isEmpty() || kept.get(kept.size() - 1)[0] != e[0]) {
          kept.add(e);
        }
      }
      SampleChunk.Points sorted = points.sorted();
      assertThat(sorted.timestamps()).containsExactly(kept.stream().mapToLong(e -> e[0]).toArray());
      assertThat(sorted.values()).containsExactly(kept.stream().mapToDouble(e -> e[1]).toArray());
    }
  }
}
