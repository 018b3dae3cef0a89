package io.fleetlens.bench;

import java.util.List;
import java.util.function.Function;

/** What one program did with the bench's files, and the table that sets the programs side by side. */
final class ResultTable {

  /**
   * One program's run. Cold: from its start through the warm-up files (start-up, JIT compilation
   * and all). Steady: the measured files, moved in once the warm-up lines were all in Kafka.
   */
  record Result(String name, long records, double coldSeconds, double coldCpuSeconds, double steadySeconds,
      double steadyCpuSeconds, long peakResidentBytes, long steadyResidentBytes) {
  }

  private record Row(String label, Function<Result, String> value) {
  }

  private ResultTable() {
  }

  static void print(long warmupLines, long lines, long bytes, List<Result> results) {
    List<Row> rows = List.of(
        new Row("cold: seconds for the warm-up lines", r -> String.format("%.1f", r.coldSeconds())),
        new Row("cold: CPU-seconds", r -> String.format("%.1f", r.coldCpuSeconds())),
        new Row("cold: lines per CPU-second", r -> String.format("%,.0f", warmupLines / r.coldCpuSeconds())),
        new Row("steady: seconds until all in Kafka", r -> String.format("%.1f", r.steadySeconds())),
        new Row("steady: lines/s", r -> String.format("%,.0f", lines / r.steadySeconds())),
        new Row("steady: MB/s (of log files)", r -> String.format("%.1f", bytes / 1e6 / r.steadySeconds())),
        new Row("steady: CPU-seconds (user + system)", r -> String.format("%.1f", r.steadyCpuSeconds())),
        new Row("steady: lines per CPU-second", r -> String.format("%,.0f", lines / r.steadyCpuSeconds())),
        new Row("steady: MB per CPU-second", r -> String.format("%.1f", bytes / 1e6 / r.steadyCpuSeconds())),
        new Row("peak resident memory (MiB)", r -> mib(r.peakResidentBytes())),
        new Row("steady resident memory (MiB)", r -> mib(r.steadyResidentBytes())),
        new Row("records in its topic", r -> String.format("%,d", r.records())));
    StringBuilder header = new StringBuilder(String.format("%-38s", ""));
    results.forEach(r -> header.append(String.format("%14s", r.name())));
    System.out.println(header);
    for (Row row : rows) {
      StringBuilder line = new StringBuilder(String.format("%-38s", row.label()));
      results.forEach(r -> line.append(String.format("%14s", row.value().apply(r))));
      System.out.println(line);
    }
    if (results.size() == 2) {
      Result a = results.get(0);
      Result b = results.get(1);
      System.out.printf("%s / %s lines per CPU-second: steady %.2f, cold %.2f%n", a.name(), b.name(),
          b.steadyCpuSeconds() / a.steadyCpuSeconds(), b.coldCpuSeconds() / a.coldCpuSeconds());
    }
  }

  private static String mib(long bytes) {
    return String.format("%.0f", bytes / (1024.0 * 1024));
  }
}
