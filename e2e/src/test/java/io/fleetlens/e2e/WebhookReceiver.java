package io.fleetlens.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;

/**
 * An alert webhook receiver for the tests, as a team would run one: records every request it gets
 * with its headers, and answers the statuses it was told to answer first (500, 429, 400...), then
 * 200.
 */
final class WebhookReceiver implements AutoCloseable {

  /** One request and what it was answered. */
  record Request(String idempotencyKey, String signature, JsonNode body, String raw, int answered) {
  }

  private final HttpServer server;
  private final Deque<Integer> script = new ArrayDeque<>();
  private final List<Request> requests = new ArrayList<>();

  WebhookReceiver(Integer... firstAnswers) throws IOException {
    script.addAll(List.of(firstAnswers));
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      String raw;
      try (InputStream in = exchange.getRequestBody()) {
        raw = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      int status;
      synchronized (this) {
        status = script.isEmpty() ? 200 : script.poll();
        requests.add(new Request(exchange.getRequestHeaders().getFirst("Idempotency-Key"),
            exchange.getRequestHeaders().getFirst("X-Fleetlens-Signature"), Http.JSON.readTree(raw), raw, status));
      }
      byte[] answer = (status == 200 ? "ok" : "{\"error\":\"receiver says " + status + "\"}")
          .getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, answer.length);
      exchange.getResponseBody().write(answer);
      exchange.close();
    });
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
  }

  synchronized List<Request> requests() {
    return List.copyOf(requests);
  }

  /** The requests it accepted (2xx): what its owner was actually told. */
  synchronized List<Request> accepted() {
    return requests.stream().filter(r -> r.answered() / 100 == 2).toList();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
