package io.fleetlens.aggregator.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fleetlens.aggregator.JsonFields;

class AccessLogTest {

  private static AccessLog text(String line) {
    return AccessLog.parse(line, Map.of());
  }

  private static AccessLog json(String line) {
    return AccessLog.parse(line, JsonFields.of(line));
  }

  @Test
  void commonAndCombinedLinesGiveTheirStatusButNoDuration() {
    AccessLog common = text("127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] \"GET /apache_pb.gif HTTP/1.0\" 200 2326");
    assertThat(common.status()).isEqualTo(200);
    assertThat(common.seconds()).isEmpty();
    AccessLog combined = text("10.1.2.3 - - [23/Nov/2026:08:00:01 +0000] \"POST /api/orders HTTP/1.1\" 503 0 "
        + "\"https://shop.example/\" \"Mozilla/5.0 (X11; Linux x86_64)\"");
    assertThat(combined.status()).isEqualTo(503);
    assertThat(combined.seconds()).isEmpty();
  }

  @Test
  void ingressNginxLinesGiveTheirRequestTime() {
    AccessLog line = text("192.168.49.1 - - [23/Nov/2026:08:00:01 +0000] \"GET /cart?id=7 HTTP/2.0\" 404 548 \"-\" "
        + "\"curl/8.5.0\" 38 0.127 [shop-cart-8080] [] 10.244.0.7:8080 548 0.126 404 f7a3c2e1b9d8");
    assertThat(line.status()).isEqualTo(404);
    assertThat(line.seconds().getAsDouble()).isCloseTo(0.127, within(1e-12));
  }

  @Test
  void jsonLinesWithAStatusAndARequestOrDurationField() {
    AccessLog envoy = json("{\"method\":\"GET\",\"path\":\"/\",\"response_code\":200,\"duration\":12}");
    assertThat(envoy.status()).isEqualTo(200);
    assertThat(envoy.seconds().getAsDouble()).isCloseTo(0.012, within(1e-12));
    AccessLog go = json("{\"level\":\"info\",\"msg\":\"request\",\"status\":500,\"latency\":\"1.5ms\"}");
    assertThat(go.status()).isEqualTo(500);
    assertThat(go.seconds().getAsDouble()).isCloseTo(0.0015, within(1e-12));
    AccessLog nested = json("{\"http\":{\"method\":\"PUT\",\"status_code\":\"201\"},\"duration_ms\":250}");
    assertThat(nested.status()).isEqualTo(201);
    assertThat(nested.seconds().getAsDouble()).isCloseTo(0.25, within(1e-12));
    AccessLog nginxJson = json("{\"status\":\"302\",\"request_time\":\"0.004\",\"request_uri\":\"/login\"}");
    assertThat(nginxJson.seconds().getAsDouble()).isCloseTo(0.004, within(1e-12));
    assertThat(json("{\"status\":200,\"uri\":\"/\",\"elapsed_us\":1500}").seconds().getAsDouble())
        .isCloseTo(0.0015, within(1e-12));
  }

  @Test
  void linesThatAreNotRequestsAreNotTakenForThem() {
    assertThat(text("2026-11-23 08:00:01 INFO started in 1.2 s")).isNull();
    assertThat(text("Exception in thread \"main\" java.lang.IllegalStateException: 500")).isNull();
    assertThat(json("{\"level\":\"info\",\"status\":\"ok\",\"path\":\"/\"}")).isNull();
    assertThat(json("{\"level\":\"info\",\"status\":200,\"msg\":\"cache warm\"}")).isNull(); // no request, no duration
    assertThat(json("{\"status\":999,\"path\":\"/\"}")).isNull();
    assertThat(text("127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.0\" 700 1")).isNull();
  }
}
