package io.fleetlens.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import io.fleetlens.testkit.ElasticsearchFixture;
import io.fleetlens.testkit.KafkaFixture;
import io.fleetlens.testkit.RealServers;

/**
 * Every dashboard in dashboards/ against the query API over {@link ShopDataset}, with the collector
 * scraping Fleetlens' own /metrics as the pipeline-health dashboard needs: each variable query is
 * run as Grafana runs it and must offer the values the data has, and each panel query, with the
 * variables substituted as Grafana would, must parse and return data, for every workload.
 */
@ExtendWith(RealServers.class)
class DashboardsIT {

  private static final Path DASHBOARDS = Path.of("..", "dashboards");
  private static final Pattern LABEL_VALUES = Pattern.compile("^label_values\\((.+),\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\)$");
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{?([a-zA-Z_][a-zA-Z0-9_]*)}?");
  private static Pipeline pipeline;
  private static long end;

  @BeforeAll
  static void seed(KafkaFixture kafka, ElasticsearchFixture elasticsearch) throws Exception {
    pipeline = new Pipeline("dashboards", kafka, elasticsearch, 64 * 1024);
    pipeline.collector.scraping(List.of("fleetlens-aggregator=" + pipeline.aggregatorUrl() + "/metrics",
        "fleetlens-query-api=" + pipeline.queryUrl() + "/metrics"));
    end = ShopDataset.seed(pipeline);
    Instant deadline = Instant.now().plusSeconds(120);
    while (!caughtUp()) {
      assertThat(Instant.now()).as("the shop's data and Fleetlens' own metrics are queryable").isBefore(deadline);
      Thread.sleep(1_000);
    }
    Thread.sleep(5_000); // a few more self-scrapes, so rates over a minute have points
  }

  private static boolean caughtUp() throws Exception {
    Http.Response legacy = Http.get(pipeline.queryUrl() + "/api/v1/golden-signals?cluster=" + pipeline.name
        + "&namespace=shop&workload=legacy&window=30m&time=" + end / 1000);
    boolean shop = legacy.status() == 200 && legacy.json().path("traffic").path("value").isNumber()
        && Math.abs(legacy.json().path("traffic").path("value").asDouble() - 2) < 0.02;
    for (String metric : List.of("rate(fleetlens_collector_lines_read_total[1m])",
        "rate(fleetlens_query_http_requests_seconds_count[1m])", "kafka_consumer_fetch_manager_records_lag_max")) {
      Http.Response self = Http.get(pipeline.queryUrl() + "/api/v1/query?query=" + q("count(" + metric + ")"));
      if (self.status() != 200 || self.json().path("data").path("result").isEmpty()) {
        System.out.println("not yet: " + metric);
        return false;
      }
    }
    if (!shop) {
      System.out.println("not yet: the shop's access-log traffic: " + legacy.json().path("traffic").path("value"));
    }
    return shop;
  }

  @AfterAll
  static void stop() throws Exception {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  private static List<Path> dashboards() throws Exception {
    try (Stream<Path> files = Files.list(DASHBOARDS)) {
      return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    }
  }

  @Test
  void everyPanelAndVariableQueryOfEveryDashboardParsesAndReturnsData() throws Exception {
    List<String> failures = new ArrayList<>();
    int queries = 0;
    assertThat(dashboards()).hasSizeGreaterThanOrEqualTo(4);
    for (Path file : dashboards()) {
      JsonNode dashboard = Http.JSON.readTree(file.toFile());
      String name = file.getFileName().toString();
      assertThat(dashboard.path("schemaVersion").asInt()).as(name).isGreaterThanOrEqualTo(39);
      List<Map<String, String>> choices = new ArrayList<>();
      choices.add(new LinkedHashMap<>());
      Map<String, String> sources = new LinkedHashMap<>(); // "${var}" -> prometheus | loki
      for (JsonNode variable : dashboard.path("templating").path("list")) {
        String var = variable.path("name").asText();
        if (variable.path("type").asText().equals("datasource")) {
          assertThat(variable.path("query").asText()).as(name + " $" + var).isIn("prometheus", "loki");
          sources.put("${" + var + "}", variable.path("query").asText());
          choices.forEach(c -> c.put(var, "fleetlens"));
          continue;
        }
        List<Map<String, String>> next = new ArrayList<>();
        for (Map<String, String> chosen : choices) {
          String query = substitute(variable.path("query").path("query").asText(variable.path("definition").asText()),
              chosen);
          queries++;
          List<String> offered = variableValues(query);
          if (offered.isEmpty()) {
            failures.add(name + " $" + var + ": " + query + " offers nothing");
          }
          for (String value : offered) {
            Map<String, String> with = new LinkedHashMap<>(chosen);
            with.put(var, value);
            next.add(with);
          }
        }
        choices = next;
      }
      assertThat(choices).as(name + ": the variables offer a choice").isNotEmpty();
      for (Map<String, String> chosen : choices) {
        for (JsonNode panel : dashboard.path("panels")) {
          String source = panel.path("datasource").path("uid").asText();
          assertThat(sources).as(name + " / " + panel.path("title").asText() + ": a data source variable")
              .containsKey(source);
          assertThat(panel.path("datasource").path("type").asText()).as(name).isEqualTo(sources.get(source));
          boolean logs = sources.get(source).equals("loki");
          for (JsonNode target : panel.path("targets")) {
            String expr = substitute(target.path("expr").asText(), chosen);
            queries++;
            String problem = logs ? lokiProblem(expr) : problem(expr);
            if (problem != null) {
              failures.add(name + " / " + panel.path("title").asText() + " " + chosen + ": " + problem + "\n    " + expr);
            }
          }
        }
      }
    }
    System.out.println("dashboards: " + queries + " queries run, " + failures.size() + " failed");
    assertThat(failures).as("dashboard queries that fail or return nothing").isEmpty();
  }

  @Test
  void theVariablesOfferTheShopsClusterNamespaceAndWorkloads() throws Exception {
    assertThat(variableValues("label_values(kube_pod_container_resource_requests, cluster)")).contains(pipeline.name);
    assertThat(variableValues("label_values(kube_pod_container_resource_requests{cluster=\"" + pipeline.name
        + "\",namespace=\"shop\"}, workload)")).containsExactly("checkout", "inventory", "legacy", "search");
  }

  /** Grafana's {@code label_values(selector, label)}, as it asks a Prometheus data source. */
  private static List<String> variableValues(String query) throws Exception {
    Matcher m = LABEL_VALUES.matcher(query.strip());
    assertThat(m.matches()).as("a label_values() query: " + query).isTrue();
    long now = System.currentTimeMillis() / 1000;
    Http.Response r = Http.get(pipeline.queryUrl() + "/api/v1/label/" + m.group(2) + "/values?match[]="
        + q(m.group(1)) + "&start=" + (now - 3_600) + "&end=" + now);
    assertThat(r.status()).as(query + " -> " + r.body()).isEqualTo(200);
    List<String> values = new ArrayList<>();
    r.json().path("data").forEach(v -> values.add(v.asText()));
    return values;
  }

  /** Null when the PromQL query answers with data over the last half hour, else what is wrong. */
  private static String problem(String expr) throws Exception {
    return problem("/api/v1/query_range", expr, "");
  }

  /** Null when the LogQL query answers with lines or points over the last half hour, else what is wrong. */
  private static String lokiProblem(String expr) throws Exception {
    return problem("/loki/api/v1/query_range", expr, "&limit=100");
  }

  private static String problem(String path, String expr, String more) throws Exception {
    long now = System.currentTimeMillis() / 1000;
    Http.Response r = Http.get(pipeline.queryUrl() + path + "?query=" + q(expr) + "&start=" + (now - 1_800) + "&end="
        + now + "&step=30" + more);
    if (r.status() != 200) {
      return r.status() + " " + r.body();
    }
    for (JsonNode series : r.json().path("data").path("result")) {
      if (series.path("values").size() > 0) {
        return null;
      }
    }
    return "no data";
  }

  /** What Grafana does to a query before sending it: variables, and its interval macros. */
  private static String substitute(String query, Map<String, String> chosen) {
    Matcher m = VARIABLE.matcher(query);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = switch (m.group(1)) {
        case "__rate_interval" -> "1m";
        case "__interval", "__auto" -> "30s";
        case "__range" -> "30m";
        default -> chosen.get(m.group(1));
      };
      assertThat(value).as("variable " + m.group() + " in " + query).isNotNull();
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String q(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
