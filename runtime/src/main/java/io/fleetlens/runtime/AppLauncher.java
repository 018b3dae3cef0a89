package io.fleetlens.runtime;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an app from its main method until the JVM is asked to stop (SIGTERM, Ctrl-C), then closes
 * it. A configuration error ends the process with status 2 and one clear line.
 */
public final class AppLauncher {

  private static final Logger LOG = LoggerFactory.getLogger(AppLauncher.class);

  private AppLauncher() {
  }

  public static void runUntilShutdown(String name, Callable<? extends AutoCloseable> start) throws InterruptedException {
    AutoCloseable app;
    try {
      app = start.call();
    } catch (IllegalArgumentException e) {
      LOG.error("{} cannot start: {}", name, e.getMessage());
      System.exit(2);
      return;
    } catch (Exception e) {
      LOG.error("{} failed to start", name, e);
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        app.close();
      } catch (Exception e) {
        LOG.error("error while stopping {}", name, e);
      }
      stopped.countDown();
    }, name + "-shutdown"));
    stopped.await();
  }
}
