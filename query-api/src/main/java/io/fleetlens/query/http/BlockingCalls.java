package io.fleetlens.query.http;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

import io.vertx.ext.web.RoutingContext;

/**
 * Runs the blocking work of an API call (Elasticsearch, the database, PromQL) on a worker thread,
 * off the event loop, and answers with its result or its failure. If the caller hangs up first
 * (Grafana cancels a panel's query when the dashboard changes), the worker is interrupted, which
 * stops a PromQL evaluation at its next step instead of letting it run to its timeout, and nothing
 * is answered.
 */
public final class BlockingCalls {

  /** How a surface answers the failures of its calls, in its own error format. */
  public interface Failures {

    void answer(RoutingContext ctx, Throwable failure);

    /** The caller went away before the work ended. */
    default void cancelled() {
    }
  }

  private BlockingCalls() {
  }

  /** Answers the work's JSON (an object or an array) with 200, or its failure as {@link FleetlensErrors} say. */
  public static void json(RoutingContext ctx, Callable<?> work) {
    run(ctx, work, RoutingContext::json, FleetlensErrors::answer);
  }

  /** Answers with {@code reply}, or the failure as {@link FleetlensErrors} say. */
  public static <T> void answer(RoutingContext ctx, Callable<T> work, BiConsumer<RoutingContext, T> reply) {
    run(ctx, work, reply, FleetlensErrors::answer);
  }

  public static <T> void run(RoutingContext ctx, Callable<T> work, BiConsumer<RoutingContext, T> reply,
      Failures failures) {
    AtomicReference<Thread> worker = new AtomicReference<>();
    AtomicBoolean gone = new AtomicBoolean();
    ctx.response().closeHandler(closed -> {
      gone.set(true);
      synchronized (worker) {
        Thread running = worker.get();
        if (running != null) {
          running.interrupt();
        }
      }
    });
    Callable<T> cancellable = () -> {
      synchronized (worker) {
        worker.set(Thread.currentThread());
      }
      try {
        if (gone.get()) {
          throw new InterruptedException("the caller went away");
        }
        return work.call();
      } finally {
        synchronized (worker) {
          worker.set(null);
          Thread.interrupted(); // the pool's thread goes back clean
        }
      }
    };
    ctx.vertx().executeBlocking(cancellable, false).onComplete(result -> {
      if (gone.get() || ctx.response().closed()) {
        failures.cancelled();
      } else if (result.succeeded()) {
        reply.accept(ctx, result.result());
      } else {
        failures.answer(ctx, result.cause());
      }
    });
  }
}
