package io.fleetlens.collector.resources;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One cgroup v2 folder's CPU and memory figures, read from the kernel's own files: {@code cpu.stat}
 * (usage and throttling), {@code memory.current} and {@code memory.stat}. The working set is what
 * the kubelet evicts on, usage less inactive file pages, as cAdvisor computes it.
 */
public record CgroupStats(double cpuSeconds, long periods, long throttledPeriods, double throttledSeconds,
    long memoryBytes, long workingSetBytes) {

  public static CgroupStats read(Path cgroup) throws IOException {
    Map<String, Long> cpu = keyValues(cgroup.resolve("cpu.stat"));
    long memory = Long.parseLong(Files.readString(cgroup.resolve("memory.current")).strip());
    Map<String, Long> stat = keyValues(cgroup.resolve("memory.stat"));
    long inactiveFile = stat.getOrDefault("inactive_file", 0L);
    return new CgroupStats(cpu.getOrDefault("usage_usec", 0L) / 1e6, cpu.getOrDefault("nr_periods", 0L),
        cpu.getOrDefault("nr_throttled", 0L), cpu.getOrDefault("throttled_usec", 0L) / 1e6, memory,
        Math.max(0, memory - inactiveFile));
  }

  private static Map<String, Long> keyValues(Path file) throws IOException {
    Map<String, Long> values = new HashMap<>();
    List<String> lines = Files.exists(file) ? Files.readAllLines(file) : List.of();
    for (String line : lines) {
      String[] parts = line.strip().split("\\s+");
      if (parts.length == 2) {
        try {
          values.put(parts[0], Long.parseLong(parts[1]));
        } catch (NumberFormatException ignored) {
          // a value the kernel added later, in a form we do not read
        }
      }
    }
    return values;
  }
}
