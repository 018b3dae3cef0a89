package io.fleetlens.collector.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FileProgressTest {

  @Test
  void committedOffsetCoversOnlyAnAcknowledgedPrefix() {
    FileProgress progress = new FileProgress(0);
    FileProgress.Ticket a = progress.track(10);
    FileProgress.Ticket b = progress.track(20);
    FileProgress.Ticket c = progress.track(30);
    progress.acked(c);
    progress.acked(b);
    assertThat(progress.committed()).isZero();
    progress.acked(a);
    assertThat(progress.committed()).isEqualTo(30);
    assertThat(progress.inFlight()).isZero();
  }

  @Test
  void skippedInputMovesTheOffsetOnlyAfterWhatCameBefore() {
    FileProgress progress = new FileProgress(0);
    FileProgress.Ticket a = progress.track(10);
    progress.pass(15);
    assertThat(progress.committed()).isZero();
    progress.acked(a);
    assertThat(progress.committed()).isEqualTo(15);
  }

  @Test
  void rewindForgetsWhatWasInFlightAndIgnoresItsLateAcknowledgements() {
    FileProgress progress = new FileProgress(5);
    FileProgress.Ticket a = progress.track(10);
    FileProgress.Ticket b = progress.track(20);
    assertThat(progress.rewind()).isEqualTo(5);
    progress.acked(a);
    progress.acked(b);
    assertThat(progress.committed()).isEqualTo(5);
    assertThat(progress.inFlight()).isZero();
  }

  @Test
  void offsetNeverMovesBackwards() {
    FileProgress progress = new FileProgress(50);
    progress.pass(40);
    assertThat(progress.committed()).isEqualTo(50);
  }
}
