package io.fleetlens.query.allocation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StoredUsageTest {

  @Test
  void aStepIsAsPresentAsItsSamplesAreToTheFullestStep() {
    double nan = Double.NaN;
    // scraped every 15 s into one-minute steps: started a quarter into the first, stopped halfway through the last
    double[] requests = {3, 4, 4, 2, nan};
    double[] workingSet = {nan, 4, 4, 1, nan};
    assertThat(StoredUsage.presence(requests, workingSet)).containsExactly(0.75, 1, 1, 0.5, 0);
    assertThat(StoredUsage.presence(new double[] {nan, nan})).containsExactly(0, 0);
  }
}
