package io.fleetlens.alerting.notify;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Sends one stored notification to its receiver and says what came of it: delivered (2xx), worth
 * retrying (429, 5xx, a network error or timeout) or refused for good (any other status), with the
 * status and the start of the receiver's answer. Each request carries {@code Idempotency-Key}
 * (group and sequence) so a receiver can discard a repeat after a crash between sending and
 * recording, and {@code X-Fleetlens-Signature: sha256=<hex>} (HMAC-SHA256 of the body) when the
 * receiver has a secret.
 */
public final class Delivery {

  /** What a send came to. {@code status} is 0 when no HTTP answer came. */
  public record Result(Outcome outcome, int status, String error) {
  }

  public enum Outcome { DELIVERED, RETRY, REFUSED }

  private static final int MAX_ERROR_CHARS = 1024;

  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5))
      .followRedirects(HttpClient.Redirect.NEVER)
      .build();

  public Result send(Receiver receiver, String idempotencyKey, String body) {
    HttpRequest.Builder request;
    try {
      request = HttpRequest.newBuilder(target(receiver))
          .timeout(Duration.ofMillis(receiver.timeoutMs()))
          .header("Content-Type", "application/json")
          .header("User-Agent", "Fleetlens-Alerting/1")
          .header("Idempotency-Key", idempotencyKey)
          .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
      receiver.headers().forEach(request::header);
      if (receiver.secret() != null && !receiver.secret().isEmpty()) {
        request.header("X-Fleetlens-Signature", "sha256=" + sign(receiver.secret(), body));
      }
    } catch (IllegalArgumentException e) {
      return new Result(Outcome.REFUSED, 0, "cannot build the request: " + e.getMessage());
    }
    try {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      int status = response.statusCode();
      if (status >= 200 && status < 300) {
        return new Result(Outcome.DELIVERED, status, null);
      }
      String answer = "HTTP " + status + ": " + truncate(response.body());
      return new Result(status == 429 || status >= 500 ? Outcome.RETRY : Outcome.REFUSED, status, answer);
    } catch (IOException e) {
      return new Result(Outcome.RETRY, 0, e.getClass().getSimpleName() + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(Outcome.RETRY, 0, "interrupted");
    }
  }

  private static URI target(Receiver receiver) {
    String url = receiver.url();
    if (receiver.kind() == Receiver.Kind.ALERTMANAGER && !url.endsWith("/api/v2/alerts")) {
      url = url.replaceAll("/+$", "") + "/api/v2/alerts";
    }
    return URI.create(url);
  }

  /** HMAC-SHA256 of the body with the receiver's secret, in hex. */
  public static String sign(String secret, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String truncate(String s) {
    return s == null ? "" : s.length() <= MAX_ERROR_CHARS ? s : s.substring(0, MAX_ERROR_CHARS) + "...";
  }
}
