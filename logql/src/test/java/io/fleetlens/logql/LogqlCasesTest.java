package io.fleetlens.logql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.fleetlens.core.metrics.Labels;
import io.fleetlens.logql.eval.InMemoryLogSource;
import io.fleetlens.logql.eval.LogEntry;
import io.fleetlens.logql.eval.LogSource.Direction;
import io.fleetlens.logql.eval.LogqlEngine;
import io.fleetlens.logql.parse.Expr;
import io.fleetlens.logql.parse.Parser;
import io.fleetlens.promql.eval.Value;

/**
 * The LogQL case table ({@code cases.txt}, written from Loki's documentation) over its data set, in
 * memory; the query API runs the same table over HTTP and Elasticsearch.
 */
public class LogqlCasesTest {

  public static final long S = 1_000_000_000L;
  public static final long T0 = 1_795_435_200L * S;

  /** One case of the table: its name, query, and expectations by key. */
  public record Case(String name, String query, Map<String, String> expect) {
    @Override
    public String toString() {
      return name;
    }
  }

  public static List<Case> cases() throws IOException {
    String text;
    try (InputStream in = LogqlCasesTest.class.getResourceAsStream("cases.txt")) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    List<Case> out = new ArrayList<>();
    String name = null;
    String query = null;
    Map<String, String> expect = new LinkedHashMap<>();
    for (String line : (text + "\n## end").split("\n")) {
      if (line.startsWith("## ")) {
        if (name != null) {
          out.add(new Case(name, query, expect));
        }
        name = line.substring(3).strip();
        query = null;
        expect = new LinkedHashMap<>();
      } else if (line.startsWith("query: ")) {
        query = line.substring("query: ".length());
      } else if (!line.isBlank() && !line.startsWith("#") && name != null) {
        int colon = line.indexOf(':');
        expect.put(colon < 0 ? line.strip() : line.substring(0, colon), colon < 0 ? "" : line.substring(colon + 1)
            .strip());
      }
    }
    return out;
  }

  /** The table's data set: five streams, one line a second for 60 s each. */
  public static List<LogEntry> dataSet() {
    List<LogEntry> out = new ArrayList<>();
    Labels cart = Labels.of("namespace", "shop", "pod", "cart-1", "container", "app", "level", "info");
    Labels web = Labels.of("namespace", "shop", "pod", "web-1", "container", "nginx", "level", "info");
    Labels api = Labels.of("namespace", "payments", "pod", "api-1", "container", "server", "level", "error");
    Labels ui = Labels.of("namespace", "shop", "pod", "ui-1", "container", "ui", "level", "info");
    Labels packed = Labels.of("namespace", "tools", "pod", "packed-1", "container", "job", "level", "warn");
    for (int i = 0; i < 60; i++) {
      long t = T0 + i * S;
      String status = i % 10 == 0 ? "500" : "200";
      out.add(new LogEntry(t, "{\"status\":" + status + ",\"latency\":\"" + i * 10
          + "ms\",\"req\":{\"path\":\"/api/cart\",\"id\":" + i + "},\"user\":\"u" + i % 3 + "\"}", cart,
          Map.of("status", status, "latency", i * 10 + "ms", "req.path", "/api/cart", "req.id", "" + i, "user",
              "u" + i % 3)));
      out.add(new LogEntry(t, "10.0.0." + i + " - - [x] \"GET /p" + i % 3 + " HTTP/1.1\" " + (i % 4 == 0 ? 404 : 200)
          + " " + (100 + i), web, Map.of()));
      out.add(new LogEntry(t, "level=error msg=\"checkout failed\" order=" + i + " took=" + i + "ms size=" + i + "KB",
          api, Map.of()));
      out.add(new LogEntry(t, "\u001b[31mred " + i + "\u001b[0m plain", ui, Map.of()));
      out.add(new LogEntry(t, "{\"_entry\":\"packed line " + i + "\",\"job\":\"backup\",\"attempt\":\"" + i % 2 + "\"}",
          packed, Map.of("_entry", "packed line " + i, "job", "backup", "attempt", "" + i % 2)));
    }
    return out;
  }

  /** Counts bare selectors itself, as Elasticsearch does. */
  private static final LogqlEngine COUNTING;
  /** Hands over lines only: the engine counts every line itself. */
  private static final LogqlEngine READING;

  static {
    InMemoryLogSource source = new InMemoryLogSource();
    dataSet().forEach(source::add);
    COUNTING = new LogqlEngine(source, LogqlEngine.Options.defaults());
    READING = new LogqlEngine(source::select, LogqlEngine.Options.defaults());
  }

  static Stream<Case> table() throws IOException {
    return cases().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void theCaseIsAnsweredAsLokiDocumentsIt(Case c) {
    for (LogqlEngine engine : List.of(COUNTING, READING)) {
      String how = engine == COUNTING ? "counted by the source" : "read line by line";
      if (c.expect().containsKey("error")) {
        assertThatThrownBy(() -> answer(engine, c)).as(c.query() + " " + how)
            .hasMessageContaining(c.expect().get("error"));
      } else {
        answer(engine, c);
      }
    }
  }

  private static void answer(LogqlEngine engine, Case c) {
    Expr expr = Parser.parse(c.query());
    if (expr instanceof Expr.LogQuery log) {
      LogqlEngine.Streams out = engine.logs(log, T0, T0 + 60 * S, 5_000, Direction.BACKWARD);
      checkLines(c, out);
    } else {
      Value value = engine.instant((Expr.MetricQuery) expr, T0 + 59 * S).value();
      checkMetric(c, value);
    }
  }

  /** A line of an answer, with its labels. */
  public record Line(long t, String text, Map<String, String> labels) {
  }

  private static void checkLines(Case c, LogqlEngine.Streams out) {
    List<Line> lines = new ArrayList<>();
    out.streams().forEach(s -> s.entries().forEach(e -> lines.add(new Line(e.timestampNanos(), e.line(), s.labels()))));
    checkLines(c, lines);
  }

  /** Checks a log query's answer (its lines in any order) against the case's expectations. */
  public static void checkLines(Case c, List<Line> answer) {
    List<Line> lines = new ArrayList<>(answer);
    lines.sort(Comparator.comparingLong(Line::t).reversed());
    if (c.expect().containsKey("lines")) {
      assertThat(lines).as(c.query()).hasSize(Integer.parseInt(c.expect().get("lines")));
    }
    if (c.expect().containsKey("first")) {
      assertThat(lines).as(c.query()).isNotEmpty();
      assertThat(lines.get(0).text()).as(c.query()).isEqualTo(c.expect().get("first"));
    }
    if (c.expect().containsKey("labels")) {
      assertThat(lines).as(c.query()).isNotEmpty();
      for (String pair : c.expect().get("labels").split(",")) {
        String[] kv = pair.split("=", 2);
        assertThat(lines.get(0).labels()).as(c.query()).containsEntry(kv[0], kv[1]);
      }
    }
    if (c.expect().containsKey("nolabel")) {
      assertThat(lines.get(0).labels()).as(c.query()).doesNotContainKey(c.expect().get("nolabel"));
    }
  }

  private static void checkMetric(Case c, Value value) {
    List<Value.Sample> samples = switch (value) {
      case Value.Vector v -> v.samples();
      case Value.Scalar s -> List.of(new Value.Sample(Labels.EMPTY, s.timeMs(), s.value()));
      default -> throw new AssertionError("not an instant result: " + value);
    };
    checkValues(c, samples.stream().map(Value.Sample::value).toList());
  }

  /** Checks a metric query's answer (one value per sample) against the case's expectations. */
  public static void checkValues(Case c, List<Double> samples) {
    if (c.expect().containsKey("empty")) {
      assertThat(samples).as(c.query()).isEmpty();
    }
    if (c.expect().containsKey("series")) {
      assertThat(samples).as(c.query()).hasSize(Integer.parseInt(c.expect().get("series")));
    }
    if (c.expect().containsKey("value")) {
      assertThat(samples).as(c.query()).hasSize(1);
      assertThat(samples.get(0)).as(c.query()).isCloseTo(Double.parseDouble(c.expect().get("value")),
          within(1e-9));
    }
  }
}
