package io.fleetlens.devservers;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Starts the servers' processes so that they end with this JVM however it ends, a SIGKILL
 * included: each runs under {@code setpriv --pdeathsig KILL}, so the kernel kills it when the
 * thread that started it exits. They are all started from one thread that lives as long as the
 * JVM. Elasticsearch's server process exits by itself when its launcher dies; PostgreSQL's
 * backends when their postmaster does. Where setpriv is missing the processes are started plainly.
 */
final class BoundProcesses {

  private static final boolean SETPRIV = onPath("setpriv");

  private static final ExecutorService STARTER = Executors.newSingleThreadExecutor(task -> {
    Thread thread = new Thread(task, "child-process-starter");
    thread.setDaemon(true);
    return thread;
  });

  private BoundProcesses() {
  }

  /**
   * Starts {@code builder}'s command bound to this JVM, as {@link Unprivileged#UID} when
   * {@code unprivileged} and this JVM is root.
   */
  static Process start(ProcessBuilder builder, boolean unprivileged) throws IOException {
    builder.command(command(builder.command(), unprivileged));
    try {
      return STARTER.submit(builder::start).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while starting " + builder.command(), e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    }
  }

  static List<String> command(List<String> command, boolean unprivileged) {
    if (!SETPRIV) {
      return unprivileged ? Unprivileged.command(command) : command;
    }
    List<String> wrapped = new ArrayList<>(List.of("setpriv"));
    if (unprivileged) {
      wrapped.addAll(Unprivileged.setprivOptions());
    }
    wrapped.addAll(List.of("--pdeathsig", "KILL", "--"));
    wrapped.addAll(command);
    return wrapped;
  }

  private static boolean onPath(String program) {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }
}
