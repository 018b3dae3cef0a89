package io.fleetlens.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import io.fleetlens.bench.ResultTable.Result;
import io.fleetlens.devservers.EmbeddedKafka;

/**
 * CRI files to Kafka, the collector beside rsyslog: each reads the same lines of about 120 bytes and
 * sends them to its own topic on the same broker. Both run as their own processes, one after the
 * other, measured the same way from /proc: first {@code --warmup} lines over {@code --containers}
 * files (cold: start-up and JIT compilation included), then, once those are all in Kafka, another
 * {@code --containers} files holding {@code --lines} lines are moved in (steady state).
 *
 * <p>Run by hand: {@code ./fleetlens bench collector [--lines N]} (see bench/README.md).
 */
public final class CollectorBench {

  private static final long POLL_MS = 50;
  private static final long STALL_NANOS = 120_000_000_000L;
  private static final long SETTLE_MS = 5_000;

  private final int lines;
  private final int warmupLines;
  private final int containers;
  private final String collectorHeap;
  private final Path work;

  private CollectorBench(int lines, int warmupLines, int containers, String collectorHeap, Path work) {
    this.lines = lines;
    this.warmupLines = warmupLines;
    this.containers = containers;
    this.collectorHeap = collectorHeap;
    this.work = work;
  }

  public static void main(String[] args) throws Exception {
    int lines = 1_000_000;
    int warmup = 500_000;
    int containers = 20;
    String heap = "64m";
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--lines" -> lines = Integer.parseInt(args[i + 1]);
        case "--warmup" -> warmup = Integer.parseInt(args[i + 1]);
        case "--containers" -> containers = Integer.parseInt(args[i + 1]);
        case "--collector-heap" -> heap = args[i + 1];
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Path work = Files.createTempDirectory("fleetlens-collector-bench");
    new CollectorBench(lines, warmup, containers, heap, work).run();
    deleteTree(work);
  }

  private void run() throws Exception {
    Rsyslog rsyslog = findRsyslog();
    try (EmbeddedKafka kafka = new EmbeddedKafka(work.resolve("kafka")).start();
        BenchTopics topics = new BenchTopics(kafka.bootstrapServers())) {
      String broker = kafka.bootstrapServers();
      Path pods = work.resolve("pods");
      List<Path> warmupFiles = write(pods, "warm", warmupLines);
      Path staging = work.resolve("staging");
      List<Path> files = write(staging, "bench", lines);
      long bytes = 0;
      for (Path file : files) {
        bytes += Files.size(file);
      }
      topics.warmUp(warmupFiles.subList(0, Math.min(4, warmupFiles.size())));
      List<Result> results = new ArrayList<>();
      Path collectorDir = work.resolve("collector");
      results.add(measure("collector", topics, pods, staging, collectorDir, "bench.collector",
          CollectorChild.command(collectorDir, pods, broker, "bench.collector", collectorHeap),
          CollectorChild.environment()));
      if (rsyslog != null) {
        Path rsyslogDir = Files.createDirectories(work.resolve("rsyslog"));
        results.add(measure("rsyslog", topics, pods, staging, rsyslogDir, "bench.rsyslog",
            rsyslog.command(rsyslogDir, pods, broker, "bench.rsyslog"), System.getenv()));
      }
      System.out.printf("%n%,d warm-up lines, then %,d lines, %.0f MB over %d files; collector at -Xmx%s;"
          + " topics of %d partitions, lz4%n", warmupLines, lines, bytes / 1e6, files.size(), collectorHeap,
          BenchTopics.PARTITIONS);
      ResultTable.print(warmupLines, lines, bytes, results);
    }
  }

  private Rsyslog findRsyslog() throws IOException, InterruptedException {
    try {
      return Rsyslog.find(work);
    } catch (Rsyslog.MissingException e) {
      System.out.println("rsyslog is left out of this run: " + e.getMessage());
      return null;
    }
  }

  /**
   * Starts one program on the warm-up files and waits until its topic holds them all, then moves the
   * measured files in and waits for those. Its resident memory at steady state is read a few seconds
   * after that, while it still watches the (finished) files. The measured files go back to staging
   * afterwards, for the next program.
   */
  private Result measure(String name, BenchTopics topics, Path pods, Path staging, Path dir, String topic,
      List<String> command, Map<String, String> environment) throws Exception {
    topics.create(topic);
    System.out.printf("%s: %,d warm-up lines, then %,d lines, to Kafka...%n", name, warmupLines, lines);
    long start = System.nanoTime();
    try (MeasuredProcess process = MeasuredProcess.start(name, command, environment, dir.resolve(name + ".out"))) {
      awaitRecords(name, process, topics, topic, warmupLines, dir);
      double coldSeconds = (System.nanoTime() - start) / 1e9;
      double coldCpu = process.cpuSeconds();
      long steadyStart = System.nanoTime();
      move(staging, pods);
      awaitRecords(name, process, topics, topic, (long) warmupLines + lines, dir);
      double steadySeconds = (System.nanoTime() - steadyStart) / 1e9;
      double steadyCpu = process.cpuSeconds() - coldCpu;
      Thread.sleep(SETTLE_MS);
      Result result = new Result(name, topics.records(topic), coldSeconds, coldCpu, steadySeconds, steadyCpu,
          process.peakResidentBytes(), process.residentBytes());
      process.close();
      move(pods, staging, "bench_");
      return result;
    }
  }

  private void awaitRecords(String name, MeasuredProcess process, BenchTopics topics, String topic, long expected,
      Path dir) throws Exception {
    long records = topics.records(topic);
    long lastProgress = System.nanoTime();
    while (records < expected) {
      Thread.sleep(POLL_MS);
      process.checkRunning();
      long now = topics.records(topic);
      if (now > records) {
        lastProgress = System.nanoTime();
      } else if (System.nanoTime() - lastProgress > STALL_NANOS) {
        throw new IllegalStateException(name + " sent nothing for 120 s (" + now + " of " + expected
            + " lines in Kafka); see its files in " + dir);
      }
      records = now;
    }
  }

  private static void move(Path from, Path to) throws IOException {
    move(from, to, "");
  }

  /** Moves the pod folders whose names start with {@code prefix} (renames: same file system). */
  private static void move(Path from, Path to, String prefix) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> podDirs = Files.list(from)) {
      for (Path podDir : podDirs.filter(p -> p.getFileName().toString().startsWith(prefix)).toList()) {
        Files.move(podDir, to.resolve(podDir.getFileName()));
      }
    }
  }

  /** Writes the CRI lines round-robin over the containers' files and flushes them to disk. */
  private List<Path> write(Path pods, String namespace, int count) throws IOException {
    Random random = new Random(1);
    List<Path> files = new ArrayList<>();
    List<BufferedWriter> writers = new ArrayList<>();
    for (int c = 0; c < containers; c++) {
      Path file = pods.resolve(namespace + "_pod-" + c + "_uid-" + namespace + "-" + c).resolve("app").resolve("0.log");
      Files.createDirectories(file.getParent());
      files.add(file);
      writers.add(Files.newBufferedWriter(file, StandardCharsets.UTF_8));
    }
    Instant t0 = Instant.now();
    for (int i = 0; i < count; i++) {
      writers.get(i % containers).write(t0.plusNanos(i) + " stdout F INFO [worker-" + random.nextInt(16)
          + "] c.e.Service - handled request " + i + " for customer " + random.nextInt(100_000) + " in "
          + random.nextInt(900) + " ms\n");
    }
    for (int c = 0; c < containers; c++) {
      writers.get(c).close();
      try (FileChannel channel = FileChannel.open(files.get(c), StandardOpenOption.WRITE)) {
        channel.force(true);
      }
    }
    return files;
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
