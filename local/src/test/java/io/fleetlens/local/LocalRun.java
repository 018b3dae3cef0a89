package io.fleetlens.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * {@code ./fleetlens local} as a user runs it: the launcher's jar in a JVM of its own, with its
 * terminal output kept in a file for the test to read.
 */
final class LocalRun {

  private static final Path JAR = Path.of("target/fleetlens-local.jar").toAbsolutePath();
  private static final Path ELASTICSEARCH_ZIP = Path.of("target/dist/elasticsearch-9.5.2.zip").toAbsolutePath();

  private final Path dataDir;
  private final Path output;
  private final Process process;

  private LocalRun(Path dataDir, Path output, Process process) {
    this.dataDir = dataDir;
    this.output = output;
    this.process = process;
  }

  /** Starts the launcher on {@code dataDir} with {@code args}; {@code output} gets what it prints. */
  static LocalRun start(Path dataDir, Path output, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED"));
    if (Runtime.version().feature() >= 23) {
      command.add("--sun-misc-unsafe-memory-access=allow");
    }
    command.addAll(List.of("-Dfleetlens.elasticsearch.zip=" + ELASTICSEARCH_ZIP, "-jar", JAR.toString(),
        "--data-dir", dataDir.toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile())).start();
    return new LocalRun(dataDir, output, process);
  }

  long pid() {
    return process.pid();
  }

  String output() throws IOException {
    return Files.exists(output) ? Files.readString(output) : "";
  }

  /** Waits until the run prints that it is running; fails with its output if it ends or takes too long. */
  LocalRun awaitRunning(Duration timeout) throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (!output().contains("Fleetlens is running.")) {
      if (!process.isAlive()) {
        throw new AssertionError("the run ended with " + process.exitValue() + " before it was running:\n" + output());
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("not running after " + timeout + ":\n" + output());
      }
      Thread.sleep(250);
    }
    return this;
  }

  /** The exit code, or null when the run still lives after {@code timeout}. */
  Integer awaitExit(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : null;
  }

  /** SIGKILL to the launcher's JVM alone: no shutdown hook runs. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** SIGTERM, what Ctrl-C amounts to. */
  void stop() {
    process.destroy();
  }

  /** Processes whose command line names the run's data folder: the launcher and the servers it started. */
  Set<Long> processes() {
    String dir = dataDir.toString();
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(line -> line.contains(dir)).orElse(false))
        .map(ProcessHandle::pid)
        .collect(Collectors.toSet());
  }

  /** Kills whatever the run left, so a failed test does not leave servers for the next. */
  void destroyAll() {
    process.destroyForcibly();
    String dir = dataDir.toString();
    ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(line -> line.contains(dir)).orElse(false))
        .forEach(ProcessHandle::destroyForcibly);
  }
}
