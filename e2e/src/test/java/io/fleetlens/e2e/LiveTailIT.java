package io.fleetlens.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import io.fleetlens.testkit.ElasticsearchFixture;
import io.fleetlens.testkit.KafkaFixture;
import io.fleetlens.testkit.RealServers;

/**
 * Live tail over the whole log path: CRI lines written to a node's files, read by the collector,
 * carried by the real Kafka, indexed by the aggregator into the real Elasticsearch, and streamed
 * by the query API's {@code /loki/api/v1/tail} socket: each line once, in order per container, and
 * soon (the 99th percentile of write-to-socket times under 2 s).
 */
@ExtendWith(RealServers.class)
class LiveTailIT {

  private static final int LINES_PER_CONTAINER = 100;
  private static final long P99_LIMIT_MS = 2_000;

  /** Every text message a socket receives, with when it arrived. */
  private record Received(long atMillis, String text) {
  }

  private static final class Listener implements WebSocket.Listener {
    final BlockingQueue<Received> messages = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        messages.add(new Received(System.currentTimeMillis(), partial.toString()));
        partial.setLength(0);
      }
      ws.request(1);
      return null;
    }
  }

  @Test
  void linesWrittenOnANodeReachTheTailSocketOnceInOrderWithinTwoSeconds(KafkaFixture kafka,
      ElasticsearchFixture elasticsearch) throws Exception {
    try (Pipeline pipeline = new Pipeline("tail", kafka, elasticsearch, 64 * 1024)) {
      pipeline.collector.start();
      Listener listener = new Listener();
      String query = URLEncoder.encode("{cluster=\"tail\", namespace=\"clock\"} |= \"seq=\"", StandardCharsets.UTF_8);
      WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:"
          + pipeline.queryApi.httpPort() + "/loki/api/v1/tail?delay_for=0&limit=100&query=" + query + "&start="
          + Instant.now().toEpochMilli() + "000000"), listener).get(10, TimeUnit.SECONDS);
      // the path warms up first (the collector finds the files, the aggregator joins its group): untimed lines
      List<String> containers = List.of("ticker-0", "ticker-1");
      for (String pod : containers) {
        pipeline.pods.line("clock", pod, "app", "stdout", "warm-up");
      }
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).ignoreExceptions()
          .until(() -> pipeline.allMessages().size() == containers.size());

      for (int i = 0; i < LINES_PER_CONTAINER; i++) {
        for (String pod : containers) {
          pipeline.pods.line("clock", pod, "app", "stdout", "seq=" + i + " written=" + System.currentTimeMillis());
        }
        Thread.sleep(50);
      }

      Map<String, List<Integer>> seqByPod = new HashMap<>();
      List<Long> latencies = new ArrayList<>();
      long deadline = System.currentTimeMillis() + 30_000;
      while (latencies.size() < LINES_PER_CONTAINER * containers.size() && System.currentTimeMillis() < deadline) {
        Received received = listener.messages.poll(1, TimeUnit.SECONDS);
        if (received == null) {
          continue;
        }
        JsonNode message = Http.JSON.readTree(received.text());
        assertThat(message.path("dropped_entries").isMissingNode() || message.path("dropped_entries").isNull()
            || message.path("dropped_entries").isEmpty()).as("dropped entries in " + received.text()).isTrue();
        for (JsonNode stream : message.path("streams")) {
          String pod = stream.path("stream").path("pod").asText();
          for (JsonNode value : stream.path("values")) {
            String[] words = value.get(1).asText().split(" ");
            seqByPod.computeIfAbsent(pod, k -> new ArrayList<>()).add(Integer.parseInt(words[0].substring(4)));
            latencies.add(received.atMillis() - Long.parseLong(words[1].substring(8)));
          }
        }
      }
      socket.abort();

      List<Integer> expected = new ArrayList<>();
      for (int i = 0; i < LINES_PER_CONTAINER; i++) {
        expected.add(i);
      }
      for (String pod : containers) {
        assertThat(seqByPod.get(pod)).as("lines of " + pod + ", each once, in order").isEqualTo(expected);
      }
      latencies.sort(null);
      long p50 = latencies.get(latencies.size() / 2);
      long p99 = latencies.get((int) Math.ceil(latencies.size() * 0.99) - 1);
      System.out.println("live tail, write on the node to the socket: p50 " + p50 + " ms, p99 " + p99 + " ms, max "
          + latencies.get(latencies.size() - 1) + " ms over " + latencies.size() + " lines");
      assertThat(p99).as("p99 write-to-socket time, ms").isLessThan(P99_LIMIT_MS);
    }
  }
}
