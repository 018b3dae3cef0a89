package io.fleetlens.collector.checkpoint;

import java.util.TreeMap;

/**
 * What of one file is safely delivered. Records are tracked in the order they were read; the
 * committed offset moves only over a prefix of delivered records, so it never covers a record that
 * Kafka (or the spool) has not taken, whatever order the acknowledgements arrive in. Only records
 * still waiting are kept in memory: each remembers the offset committed once everything before it
 * is delivered, and resume offsets only grow.
 */
public final class FileProgress {

  /** One tracked record; {@code epoch} tells acknowledgements of an abandoned attempt apart. */
  public static final class Ticket {
    final long sequence;
    final long resumeOffset;
    final long resumeBefore;
    final int epoch;

    Ticket(long sequence, long resumeOffset, long resumeBefore, int epoch) {
      this.sequence = sequence;
      this.resumeOffset = resumeOffset;
      this.resumeBefore = resumeBefore;
      this.epoch = epoch;
    }
  }

  private final TreeMap<Long, Ticket> waiting = new TreeMap<>();
  private long committed;
  private long lastResume;
  private long nextSequence;
  private int epoch;

  public FileProgress(long committed) {
    this.committed = committed;
    this.lastResume = committed;
  }

  /** Registers a record about to be sent. */
  public synchronized Ticket track(long resumeOffset) {
    long resume = Math.max(resumeOffset, lastResume);
    Ticket ticket = new Ticket(nextSequence++, resume, lastResume, epoch);
    lastResume = resume;
    waiting.put(ticket.sequence, ticket);
    return ticket;
  }

  /** Moves past input that produced no record (a bad line), once everything before it is safe. */
  public synchronized void pass(long resumeOffset) {
    lastResume = Math.max(resumeOffset, lastResume);
    advance();
  }

  public synchronized void acked(Ticket ticket) {
    if (ticket.epoch != epoch) {
      return;
    }
    waiting.remove(ticket.sequence);
    advance();
  }

  /** Forgets everything in flight (it will be read and sent again); returns where to re-read from. */
  public synchronized long rewind() {
    epoch++;
    waiting.clear();
    lastResume = committed;
    return committed;
  }

  /** The file was truncated: everything in flight is forgotten and it is read again from the start. */
  public synchronized void truncated() {
    epoch++;
    waiting.clear();
    committed = 0;
    lastResume = 0;
  }

  public synchronized long committed() {
    return committed;
  }

  /** Records sent and not yet delivered. */
  public synchronized int inFlight() {
    return waiting.size();
  }

  private void advance() {
    long safe = waiting.isEmpty() ? lastResume : waiting.firstEntry().getValue().resumeBefore;
    committed = Math.max(committed, safe);
  }
}
