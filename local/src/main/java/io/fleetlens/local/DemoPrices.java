package io.fleetlens.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Gives the demo cluster a price sheet through the query API when it has none, so allocation has
 * prices from the first minute: OpenCost's default on-demand prices (USD 0.031611 a core-hour,
 * 0.004237 a GiB-hour, 0.04 a GiB-month of volume).
 */
final class DemoPrices {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private DemoPrices() {
  }

  static void ensure(String queryApi, String cluster) throws IOException, InterruptedException {
    String sheets = queryApi + "/api/v1/pricing/price-sheets";
    String listed = HTTP.send(HttpRequest.newBuilder(URI.create(sheets)).build(), HttpResponse.BodyHandlers.ofString())
        .body();
    if (listed.contains("\"cluster\":\"" + cluster + "\"")) {
      return;
    }
    String sheet = "{\"cluster\":\"" + cluster + "\",\"currency\":\"USD\",\"cpuCoreHour\":\"0.031611\","
        + "\"ramGibHour\":\"0.004237\",\"gpuHour\":\"0\",\"pvGibHour\":\"0.0000547945\",\"effectiveFrom\":\""
        + Instant.now().minus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.DAYS) + "\"}";
    HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(URI.create(sheets))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(sheet)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (created.statusCode() != 201) {
      throw new IOException("cannot give the demo cluster a price sheet: " + created.body());
    }
  }
}
