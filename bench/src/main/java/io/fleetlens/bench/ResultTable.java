package io.fleetlens.bench;

import java.util.List;
import java.util.function.Function;

/** What one program did with the bench's files, and the table that sets the programs side by side. */
final class ResultTable {

  /** One program's run: times from its start, CPU and memory of its process. */
  record Result(String name, long records, double seconds, double firstRecordSeconds, double cpuSeconds,
      double firstRecordCpuSeconds, long peakResidentBytes, long steadyResidentBytes) {
  }

  private record Row(String label, Function<Result, String> value) {
  }

  private ResultTable() {
  }

  static void print(long lines, long bytes, List<Result> results) {
    List<Row> rows = List.of(
        new Row("seconds until all lines in Kafka", r -> String.format("%.1f", r.seconds())),
        new Row("  of which until the first record", r -> String.format("%.1f", r.firstRecordSeconds())),
        new Row("lines/s", r -> String.format("%,.0f", lines / r.seconds())),
        new Row("MB/s (of log files)", r -> String.format("%.1f", bytes / 1e6 / r.seconds())),
        new Row("CPU-seconds (user + system)", r -> String.format("%.1f", r.cpuSeconds())),
        new Row("  of which until the first record", r -> String.format("%.1f", r.firstRecordCpuSeconds())),
        new Row("lines per CPU-second", r -> String.format("%,.0f", lines / r.cpuSeconds())),
        new Row("peak resident memory (MiB)", r -> mib(r.peakResidentBytes())),
        new Row("steady resident memory (MiB)", r -> mib(r.steadyResidentBytes())),
        new Row("records in its topic", r -> String.format("%,d", r.records())));
    StringBuilder header = new StringBuilder(String.format("%-36s", ""));
    results.forEach(r -> header.append(String.format("%14s", r.name())));
    System.out.println(header);
    for (Row row : rows) {
      StringBuilder line = new StringBuilder(String.format("%-36s", row.label()));
      results.forEach(r -> line.append(String.format("%14s", row.value().apply(r))));
      System.out.println(line);
    }
    if (results.size() == 2) {
      System.out.printf("%s / %s lines per CPU-second: %.2f%n", results.get(0).name(), results.get(1).name(),
          results.get(1).cpuSeconds() / results.get(0).cpuSeconds());
    }
  }

  private static String mib(long bytes) {
    return String.format("%.0f", bytes / (1024.0 * 1024));
  }
}
