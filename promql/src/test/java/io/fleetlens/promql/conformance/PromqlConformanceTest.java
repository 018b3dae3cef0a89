package io.fleetlens.promql.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Runs every script of Prometheus' PromQL test suite (../shared/conformance/promql, read where it
 * lies) against the engine, prints {@code N passed, N failed, N skipped} with every skipped case
 * and its reason, and writes the details to target/promql-conformance.txt.
 *
 * <p>Cases the engine does not pass yet are listed in promql-known-failures.txt; the test fails
 * when any other case fails, so what passes keeps passing. The list only shrinks.
 */
class PromqlConformanceTest {

  @Test
  void everyStableCaseOfThePrometheusSuite() throws Exception {
    List<ConformanceRunner.Result> results = new ArrayList<>();
    try (Stream<Path> files = Files.list(ConformanceRunner.suite())) {
      for (Path file : files.filter(f -> f.toString().endsWith(".test")).sorted().toList()) {
        results.addAll(new ConformanceRunner().run(file));
      }
    }
    long passed = results.stream().filter(r -> r.outcome() == ConformanceRunner.Outcome.PASSED).count();
    long failed = results.stream().filter(r -> r.outcome() == ConformanceRunner.Outcome.FAILED).count();
    long skipped = results.stream().filter(r -> r.outcome() == ConformanceRunner.Outcome.SKIPPED).count();
    StringBuilder report = new StringBuilder();
    for (ConformanceRunner.Result r : results) {
      if (r.outcome() != ConformanceRunner.Outcome.PASSED) {
        report.append(r.outcome()).append(' ').append(r.id()).append(": ").append(r.reason()).append('\n');
        if (r.outcome() == ConformanceRunner.Outcome.FAILED) {
          report.append("    ").append(r.text().replace("\n", "\n    ")).append('\n');
        }
      }
    }
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target/promql-conformance.txt"), report);
    results.stream().filter(r -> r.outcome() == ConformanceRunner.Outcome.SKIPPED)
        .forEach(r -> System.out.println("skipped " + r.id() + ": " + r.reason()));
    Set<String> known = ConformanceRunner.knownFailures();
    List<String> regressions = results.stream()
        .filter(r -> r.outcome() == ConformanceRunner.Outcome.FAILED && !known.contains(r.id()))
        .map(r -> r.id() + ": " + r.reason()).toList();
    List<String> nowPassing = results.stream()
        .filter(r -> r.outcome() == ConformanceRunner.Outcome.PASSED && known.contains(r.id()))
        .map(ConformanceRunner.Result::id).toList();
    if (!nowPassing.isEmpty()) {
      System.out.println("now passing, remove from promql-known-failures.txt: " + nowPassing);
    }
    System.out.println("PromQL conformance: " + passed + " passed, " + failed + " failed, " + skipped + " skipped");
    assertThat(regressions).as("cases failing that are not in promql-known-failures.txt").isEmpty();
  }
}
