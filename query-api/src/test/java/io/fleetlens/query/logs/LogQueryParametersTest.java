package io.fleetlens.query.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import io.fleetlens.core.logs.InvalidQueryException;
import io.fleetlens.core.logs.LogLevel;
import io.fleetlens.core.logs.LogQuery;
import io.fleetlens.core.logs.LogStream;
import io.vertx.core.MultiMap;

class LogQueryParametersTest {

  private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

  private LogQuery parse(String... pairs) {
    MultiMap params = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < pairs.length; i += 2) {
      params.add(pairs[i], pairs[i + 1]);
    }
    return LogQueryParameters.parse(params, clock);
  }

  private static void assertBad(String parameter, Runnable parse) {
    assertThatThrownBy(parse::run).isInstanceOf(InvalidQueryException.class)
        .extracting(e -> ((InvalidQueryException) e).parameter()).isEqualTo(parameter);
  }

  @Test
  void defaultsAreTheLastHourAndAHundredHits() {
    LogQuery query = parse();
    assertThat(query.end()).isEqualTo(NOW);
    assertThat(query.start()).isEqualTo(NOW.minusSeconds(3600));
    assertThat(query.limit()).isEqualTo(100);
    assertThat(query.text()).isNull();
    assertThat(query.cursor()).isNull();
  }

  @Test
  void timesAreRfc3339OrUnixSeconds() {
    LogQuery query = parse("start", "2026-11-23T10:00:00.5+01:00", "end", "1795435200.25");
    assertThat(query.start()).isEqualTo(Instant.parse("2026-11-23T09:00:00.500Z"));
    assertThat(query.end()).isEqualTo(Instant.ofEpochSecond(1795435200L, 250_000_000));
    assertThat(parse("end", "1.79543522E9").end()).isEqualTo(Instant.ofEpochSecond(1795435220L));
  }

  @Test
  void filtersAndTextAreTaken() {
    LogQuery query = parse("q", "payment failed", "cluster", "prod-eu", "namespace", "shop", "pod", "cart-1",
        "container", "app", "stream", "stderr", "level", "error", "limit", "5000");
    assertThat(query.text()).isEqualTo("payment failed");
    assertThat(query.filters().namespace()).isEqualTo("shop");
    assertThat(query.filters().stream()).isEqualTo(LogStream.STDERR);
    assertThat(query.filters().level()).isEqualTo(LogLevel.ERROR);
    assertThat(query.limit()).isEqualTo(5000);
  }

  @Test
  void badValuesNameTheirParameter() {
    assertBad("limit", () -> parse("limit", "many"));
    assertBad("limit", () -> parse("limit", "5001"));
    assertBad("limit", () -> parse("limit", "0"));
    assertBad("start", () -> parse("start", "yesterday"));
    assertBad("end", () -> parse("end", "2026-13-45T00:00:00Z"));
    assertBad("start", () -> parse("start", "2026-11-23T13:00:00Z"));
    assertBad("stream", () -> parse("stream", "stdlog"));
    assertBad("level", () -> parse("level", "loud"));
  }
}
