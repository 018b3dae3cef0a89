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
 * CRI files to Kafka, the collector beside rsyslog: each reads the same {@code --lines} lines of
 * about 120 bytes over {@code --containers} files and sends them to its own topic on the same
 * broker. Both run as their own processes, one after the other, measured the same way from /proc.
 *
 * <p>Run by hand: {@code ./fleetlens bench collector [--lines N]} (see bench/README.md).
 */
public final class CollectorBench {

  private static final long POLL_MS = 50;
  private static final long STALL_NANOS = 120_000_000_000L;
  private static final long SETTLE_MS = 5_000;

  private final int lines;
  private final int containers;
  private final String collectorHeap;
  private final Path work;

  private CollectorBench(int lines, int containers, String collectorHeap, Path work) {
    this.lines = lines;
    this.containers = containers;
    this.collectorHeap = collectorHeap;
    this.work = work;
  }

  public static void main(String[] args) throws Exception {
    int lines = 1_000_000;
    int containers = 20;
    String heap = "128m";
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--lines" -> lines = Integer.parseInt(args[i + 1]);
        case "--containers" -> containers = Integer.parseInt(args[i + 1]);
        case "--collector-heap" -> heap = args[i + 1];
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Path work = Files.createTempDirectory("fleetlens-collector-bench");
    new CollectorBench(lines, containers, heap, work).run();
    deleteTree(work);
  }

  private void run() throws Exception {
    Rsyslog rsyslog = findRsyslog();
    try (EmbeddedKafka kafka = new EmbeddedKafka(work.resolve("kafka")).start();
        BenchTopics topics = new BenchTopics(kafka.bootstrapServers())) {
      String broker = kafka.bootstrapServers();
      Path pods = work.resolve("pods");
      List<Path> files = write(pods);
      long bytes = 0;
      for (Path file : files) {
        bytes += Files.size(file);
      }
      topics.warmUp(files.subList(0, Math.min(4, files.size())));
      List<Result> results = new ArrayList<>();
      Path collectorDir = work.resolve("collector");
      results.add(measure("collector", topics, collectorDir, "bench.collector",
          CollectorChild.command(collectorDir, pods, broker, "bench.collector", collectorHeap),
          CollectorChild.environment()));
      if (rsyslog != null) {
        Path rsyslogDir = Files.createDirectories(work.resolve("rsyslog"));
        results.add(measure("rsyslog", topics, rsyslogDir, "bench.rsyslog",
            rsyslog.command(rsyslogDir, pods, broker, "bench.rsyslog"), System.getenv()));
      }
      System.out.printf("%n%,d lines, %.0f MB over %d files; collector at -Xmx%s; topics of %d partitions, lz4%n",
          lines, bytes / 1e6, files.size(), collectorHeap, BenchTopics.PARTITIONS);
      ResultTable.print(lines, bytes, results);
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
   * Starts one program on the files and waits until its topic holds every line. Its resident memory
   * at steady state is read a few seconds after that, while it still watches the (finished) files.
   */
  private Result measure(String name, BenchTopics topics, Path dir, String topic, List<String> command,
      Map<String, String> environment) throws Exception {
    topics.create(topic);
    System.out.printf("%s: sending %,d lines to Kafka...%n", name, lines);
    long start = System.nanoTime();
    try (MeasuredProcess process = MeasuredProcess.start(name, command, environment, dir.resolve(name + ".out"))) {
      double firstRecord = Double.NaN;
      double firstRecordCpu = Double.NaN;
      long records = 0;
      long lastProgress = start;
      while (records < lines) {
        Thread.sleep(POLL_MS);
        process.checkRunning();
        long now = topics.records(topic);
        if (now > records) {
          lastProgress = System.nanoTime();
          if (records == 0) {
            firstRecord = (lastProgress - start) / 1e9;
            firstRecordCpu = process.cpuSeconds();
          }
        } else if (System.nanoTime() - lastProgress > STALL_NANOS) {
          throw new IllegalStateException(name + " sent nothing for 120 s (" + now + " of " + lines
              + " lines in Kafka); see its files in " + dir);
        }
        records = now;
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      double cpu = process.cpuSeconds();
      Thread.sleep(SETTLE_MS);
      return new Result(name, topics.records(topic), seconds, firstRecord, cpu, firstRecordCpu,
          process.peakResidentBytes(), process.residentBytes());
    }
  }

  /** Writes the CRI lines round-robin over the containers' files and flushes them to disk. */
  private List<Path> write(Path pods) throws IOException {
    Random random = new Random(1);
    List<Path> files = new ArrayList<>();
    List<BufferedWriter> writers = new ArrayList<>();
    for (int c = 0; c < containers; c++) {
      Path file = pods.resolve("bench_pod-" + c + "_uid-" + c).resolve("app").resolve("0.log");
      Files.createDirectories(file.getParent());
      files.add(file);
      writers.add(Files.newBufferedWriter(file, StandardCharsets.UTF_8));
    }
    Instant t0 = Instant.now();
    for (int i = 0; i < lines; i++) {
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
