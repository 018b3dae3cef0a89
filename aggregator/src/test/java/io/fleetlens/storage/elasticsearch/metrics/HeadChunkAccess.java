package io.fleetlens.storage.elasticsearch.metrics;

/** For the aggregator's tests: marks a head stored the way a write does. */
public final class HeadChunkAccess {

  private HeadChunkAccess() {
  }

  public static void markStored(HeadChunk head) {
    head.stored(1, 1);
  }
}
