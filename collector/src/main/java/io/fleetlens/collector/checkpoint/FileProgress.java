package io.fleetlens.collector.checkpoint;

import java.util.ArrayDeque;

/**
 * What of one file is safely in Kafka. Records are tracked in the order they were sent; the
 * committed offset moves only over a prefix of acknowledged records, so it never covers a record
 * Kafka has not acknowledged, whatever order the acknowledgements arrive in.
 */
public final class FileProgress {

  /** One sent record; {@code epoch} tells acknowledgements of an abandoned attempt apart. */
  public static final class Ticket {
    final long resumeOffset;
    final int epoch;
    boolean acked;

    Ticket(long resumeOffset, int epoch) {
      this.resumeOffset = resumeOffset;
      this.epoch = epoch;
    }
  }

  private final ArrayDeque<Ticket> inFlight = new ArrayDeque<>();
  private long committed;
  private int epoch;

  public FileProgress(long committed) {
    this.committed = committed;
  }

  /** Registers a record about to be sent. */
  public synchronized Ticket track(long resumeOffset) {
    Ticket ticket = new Ticket(resumeOffset, epoch);
    inFlight.add(ticket);
    return ticket;
  }

  /** Moves past input that produced no record (a bad line), once everything before it is safe. */
  public synchronized void pass(long resumeOffset) {
    Ticket ticket = track(resumeOffset);
    ticket.acked = true;
    advance();
  }

  public synchronized void acked(Ticket ticket) {
    if (ticket.epoch != epoch) {
      return;
    }
    ticket.acked = true;
    advance();
  }

  /** Forgets everything in flight (it will be read and sent again); returns where to re-read from. */
  public synchronized long rewind() {
    epoch++;
    inFlight.clear();
    return committed;
  }

  /** The file was truncated: everything in flight is forgotten and it is read again from the start. */
  public synchronized void truncated() {
    epoch++;
    inFlight.clear();
    committed = 0;
  }

  public synchronized long committed() {
    return committed;
  }

  public synchronized int inFlight() {
    return inFlight.size();
  }

  private void advance() {
    while (!inFlight.isEmpty() && inFlight.peek().acked) {
      committed = Math.max(committed, inFlight.poll().resumeOffset);
    }
  }
}
