package io.fleetlens.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import io.fleetlens.devservers.FreePorts;

/**
 * {@code ./fleetlens local} started the way a user starts it, as a child process: a second run on a
 * held data folder and a taken port end at once with one line and leave nothing running; a run
 * killed with SIGKILL takes its Elasticsearch along, and the next run on its folder finds its logs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalFleetIT {

  private static final Duration QUICK_EXIT = Duration.ofSeconds(10);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @TempDir
  static Path work;

  private static final List<LocalRun> runs = new ArrayList<>();
  private static Path dataDir;
  private static int queryPort;
  private static LocalRun first;

  @BeforeAll
  static void startAFirstRun() throws Exception {
    // reachable by Elasticsearch's unprivileged uid, so its files stay in the data folder (as in a checkout)
    Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
    dataDir = work.resolve("data");
    queryPort = FreePorts.next();
    first = run(dataDir, "first", "--port", Integer.toString(queryPort)).awaitRunning(Duration.ofMinutes(3));
  }

  @AfterAll
  static void leaveNothingRunning() {
    runs.forEach(LocalRun::destroyAll);
  }

  @Test
  @Order(1)
  void aSecondRunOnAHeldDataFolderExitsAtOnceNamingTheRunThatHoldsIt() throws Exception {
    Set<Long> before = first.processes();
    LocalRun second = run(dataDir, "second");

    assertThat(second.awaitExit(QUICK_EXIT)).as(second.output()).isNotNull().isNotZero();
    assertThat(second.output()).contains("Another Fleetlens run (pid " + first.pid() + ") is using " + dataDir)
        .contains("--data-dir");
    assertThat(first.processes()).as("processes naming the data folder").isEqualTo(before);
  }

  @Test
  @Order(2)
  void aTakenQueryApiPortEndsTheRunAtOnceAndLeavesNoProcess() throws Exception {
    LocalRun taken = run(work.resolve("other"), "taken-port", "--port", Integer.toString(queryPort));

    assertThat(taken.awaitExit(QUICK_EXIT)).as(taken.output()).isNotNull().isNotZero();
    assertThat(taken.output()).contains("Fleetlens did not start: query-api: port " + queryPort
        + " on 127.0.0.1 is taken");
    assertThat(taken.processes()).isEmpty();
  }

  @Test
  @Order(3)
  void aRunKilledWithSigkillLeavesNoProcessAndTheNextRunFindsItsLogs() throws Exception {
    // lines some seconds older than the newest searchable one have all arrived: the same query finds the same lines
    Instant settled = awaitNewestLogLine(Duration.ofMinutes(2)).minusSeconds(3);
    Thread.sleep(3000);
    List<String> earlier = logIds(settled);
    assertThat(earlier).hasSize(20);
    assertThat(first.processes()).as("the launcher and Elasticsearch's two").hasSize(3);

    first.kill();
    awaitGone(first, Duration.ofSeconds(30));

    LocalRun again = run(dataDir, "after-kill", "--port", Integer.toString(queryPort))
        .awaitRunning(Duration.ofMinutes(3));
    assertThat(logIds(settled)).as("logs stored before the kill").isEqualTo(earlier);

    again.stop();
    assertThat(again.awaitExit(Duration.ofSeconds(90))).as(again.output()).isNotNull();
    awaitGone(again, Duration.ofSeconds(30));
    assertThat(again.output()).contains("Stopped.");
  }

  private static LocalRun run(Path dir, String name, String... args) throws IOException {
    LocalRun run = LocalRun.start(dir, work.resolve(name + ".out"), args);
    runs.add(run);
    return run;
  }

  private static void awaitGone(LocalRun run, Duration timeout) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (!run.processes().isEmpty()) {
      assertThat(Instant.now()).as("processes of the run still alive: " + run.processes()).isBefore(deadline);
      Thread.sleep(250);
    }
  }

  /** The time of the newest searchable log line, once there are 100 of the demo's lines. */
  private static Instant awaitNewestLogLine(Duration timeout) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      JsonNode hits = logs(Instant.now(), 100);
      if (hits.size() == 100) {
        return Instant.parse(hits.get(0).path("timestamp").asText());
      }
      assertThat(Instant.now()).as("the demo's log lines are not searchable").isBefore(deadline);
      Thread.sleep(500);
    }
  }

  /** Ids of the 20 newest log lines up to {@code end}. */
  private static List<String> logIds(Instant end) throws IOException, InterruptedException {
    List<String> ids = new ArrayList<>();
    for (JsonNode hit : logs(end, 20)) {
      ids.add(hit.path("id").asText());
    }
    return ids;
  }

  private static JsonNode logs(Instant end, int limit) throws IOException, InterruptedException {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + queryPort
        + "/api/v1/logs?limit=" + limit + "&end=" + end)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body()).path("hits");
  }
}
