package io.fleetlens.core.logs;

/** What became of one record of a batch. */
public sealed interface WriteOutcome {

  /** Stored now. */
  record Written() implements WriteOutcome {
  }

  /** Stored before, by an earlier attempt or a replay; nothing new was written. */
  record AlreadyPresent() implements WriteOutcome {
  }

  /** Not stored this time, for a reason that may pass (overload, a shard moving). */
  record Retry(String reason) implements WriteOutcome {
  }

  /** Never storable as it is (a mapping conflict, a document too large). */
  record Rejected(String reason) implements WriteOutcome {
  }
}
