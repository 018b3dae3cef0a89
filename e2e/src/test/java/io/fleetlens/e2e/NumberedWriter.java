package io.fleetlens.e2e;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A workload for the tests: writes lines {@code "<text> #<n>"} round-robin over a few pods of one
 * namespace (every fifth on stderr), pausing after each batch, until it has written {@code limit}
 * lines or is stopped.
 */
final class NumberedWriter {

  private final AtomicInteger written = new AtomicInteger();
  private final AtomicBoolean writing = new AtomicBoolean(true);
  private final Thread thread;

  NumberedWriter(PodLogs pods, String namespace, int podCount, String text, int limit, int batch, long pauseMs) {
    thread = new Thread(() -> {
      try {
        for (int i = 0; i < limit && writing.get(); i++) {
          pods.line(namespace, namespace + "-" + (i % podCount), "app", i % 5 == 0 ? "stderr" : "stdout",
              text + " #" + i);
          written.incrementAndGet();
          if (i % batch == batch - 1) {
            Thread.sleep(pauseMs);
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "test-writer-" + namespace);
  }

  NumberedWriter start() {
    thread.start();
    return this;
  }

  int written() {
    return written.get();
  }

  /** Stops writing (or waits for the limit) and returns how many lines were written. */
  int stop() throws InterruptedException {
    writing.set(false);
    thread.join();
    return written.get();
  }

  int awaitLimit() throws InterruptedException {
    thread.join();
    return written.get();
  }
}
