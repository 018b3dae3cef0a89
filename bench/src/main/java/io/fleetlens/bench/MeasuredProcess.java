package io.fleetlens.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A program under test in its own process. Its CPU time and resident memory are read from /proc,
 * the same way whatever the program is written in.
 */
final class MeasuredProcess implements AutoCloseable {

  private static final long CLOCK_TICKS = clockTicks();

  private final String name;
  private final Path output;
  private final Process process;

  private MeasuredProcess(String name, Path output, Process process) {
    this.name = name;
    this.output = output;
    this.process = process;
  }

  /** Starts {@code command} in {@code environment} with its stdout and stderr going to {@code output}. */
  static MeasuredProcess start(String name, List<String> command, Map<String, String> environment, Path output)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
    builder.environment().clear();
    builder.environment().putAll(environment);
    return new MeasuredProcess(name, output, builder.start());
  }

  /** User plus system CPU time of all its threads so far (utime and stime of /proc/PID/stat). */
  double cpuSeconds() throws IOException {
    String stat = Files.readString(proc("stat"));
    // Fields after the command name, which is in parentheses and may hold spaces: state is field 3.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long ticks = Long.parseLong(fields[14 - 3]) + Long.parseLong(fields[15 - 3]);
    return (double) ticks / CLOCK_TICKS;
  }

  /** Resident memory now (VmRSS). */
  long residentBytes() throws IOException {
    return statusKb("VmRSS:") * 1024;
  }

  /** The most resident memory it has had (VmHWM). */
  long peakResidentBytes() throws IOException {
    return statusKb("VmHWM:") * 1024;
  }

  /** Fails with a pointer to its output when the process has stopped. */
  void checkRunning() {
    if (!process.isAlive()) {
      throw new IllegalStateException(name + " stopped with exit code " + process.exitValue() + "; its output is in "
          + output);
    }
  }

  private long statusKb(String key) throws IOException {
    for (String line : Files.readAllLines(proc("status"), StandardCharsets.UTF_8)) {
      if (line.startsWith(key)) {
        return Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    throw new IOException(key + " not found in /proc/" + process.pid() + "/status");
  }

  private Path proc(String file) {
    return Path.of("/proc", Long.toString(process.pid()), file);
  }

  /** Clock ticks per second, the unit of /proc/PID/stat times ({@code getconf CLK_TCK}, 100 on Linux). */
  private static long clockTicks() {
    try {
      Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
      return getconf.waitFor() == 0 ? Long.parseLong(out) : 100;
    } catch (IOException | NumberFormatException e) {
      return 100;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 100;
    }
  }

  /** SIGTERM, then SIGKILL if it has not stopped within 30 seconds. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
