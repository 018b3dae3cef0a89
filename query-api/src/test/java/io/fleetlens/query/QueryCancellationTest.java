package io.fleetlens.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A query whose caller hangs up stops at its next evaluation step instead of running to its
 * timeout (a minute here), and is counted as cancelled.
 */
class QueryCancellationTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private QueryApiMain api;

  @BeforeEach
  void start() {
    api = new QueryApiMain(new QueryApiConfig(new QueryApiConfig.Elasticsearch(List.of("http://127.0.0.1:9"), "cancel"),
        new QueryApiConfig.Promql(50_000_000, 100, 60_000, 300_000), new QueryApiConfig.Http("127.0.0.1", 0),
        QueryApiConfig.Database.inMemory("cancel"), QueryApiConfig.Alerting.defaults().off(), QueryApiConfig.Auth.off(),
        QueryApiConfig.Limits.defaults()));
  }

  @AfterEach
  void stop() throws Exception {
    api.close();
  }

  private double cancelled() throws Exception {
    String metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.httpPort() + "/metrics"))
        .build(), HttpResponse.BodyHandlers.ofString()).body();
    return metrics.lines().filter(l -> l.startsWith("fleetlens_query_limited_total{app=\"query-api\",limit=\"cancelled\"}"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  @Test
  void aQueryWhoseCallerHangsUpStopsLongBeforeItsTimeout() throws Exception {
    String heavy = URLEncoder.encode("max_over_time(max_over_time(vector(1)[1d:1s])[1d:1s])", StandardCharsets.UTF_8);
    long started = System.nanoTime();
    try (Socket socket = new Socket("127.0.0.1", api.httpPort())) {
      OutputStream out = socket.getOutputStream();
      out.write(("GET /api/v1/query?query=" + heavy + "&time=1800000000 HTTP/1.1\r\nHost: fleetlens\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      Thread.sleep(700);
    }
    while (cancelled() < 1 && System.nanoTime() - started < 30_000_000_000L) {
      Thread.sleep(100);
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    assertThat(cancelled()).as("counted as cancelled").isEqualTo(1);
    assertThat(seconds).as("stopped soon after the caller left, not at the 60 s timeout").isLessThan(30);
    assertThat(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.httpPort()
        + "/api/v1/query?query=1")).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
        .as("the worker serves the next query").isEqualTo(200);
  }
}
