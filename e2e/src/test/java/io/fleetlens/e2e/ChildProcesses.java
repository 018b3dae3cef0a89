package io.fleetlens.e2e;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/** Waiting for a child process's HTTP endpoint, and stopping it: gently, then by force. */
final class ChildProcesses {

  private ChildProcesses() {
  }

  /** Waits until {@code url} answers 200; fails, naming {@code what} and {@code log}, if the process dies or time runs out. */
  static void awaitReady(Process process, String url, Duration timeout, String what, Object log)
      throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      try {
        if (Http.get(url).status() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // starting
      }
      if (!process.isAlive() || Instant.now().isAfter(deadline)) {
        throw new IOException(what + " did not become ready; see " + log);
      }
      Thread.sleep(200);
    }
  }

  /** SIGTERM, then SIGKILL after 30 s. */
  static void stop(Process process) throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed. */
  static void kill(Process process) throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }
}
