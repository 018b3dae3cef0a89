package io.fleetlens.core.metrics.exposition;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fleetlens.core.metrics.MetricMetadata;
import io.fleetlens.core.metrics.Sample;

class PrometheusTextTest {

  @Test
  void textFormatWithLabelsEscapesSpecialValuesAndTimestamps() {
    PrometheusText.Parsed parsed = PrometheusText.parse(String.join("\n",
        "# HELP http_requests_total Requests.",
        "# TYPE http_requests_total counter",
        "http_requests_total{method=\"post\",code=\"200\"} 1027 1395066363000",
        "http_requests_total{method=\"post\",code=\"400\",} 3",
        "msdos_file_access_time_seconds{path=\"C:\\\\DIR\\\\FILE.TXT\",error=\"Cannot find file:\\n\\\"FILE.TXT\\\"\"} 1.458255915e9",
        "metric_without_labels 12.47",
        "weird{le=\"+Inf\"} +Inf",
        "down -Inf",
        "missing NaN",
        ""), 5_000, false);
    assertThat(parsed.errors()).isEmpty();
    assertThat(parsed.samples()).hasSize(7);
    Sample first = parsed.samples().get(0);
    assertThat(first.name()).isEqualTo("http_requests_total");
    assertThat(first.labels()).isEqualTo(Map.of("method", "post", "code", "200"));
    assertThat(first.timestampMillis()).isEqualTo(1395066363000L);
    assertThat(first.value()).isEqualTo(1027);
    assertThat(parsed.samples().get(1).timestampMillis()).isEqualTo(5_000);
    assertThat(parsed.samples().get(2).labels()).containsEntry("path", "C:\\DIR\\FILE.TXT")
        .containsEntry("error", "Cannot find file:\n\"FILE.TXT\"");
    assertThat(parsed.samples().get(4).value()).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(parsed.samples().get(5).value()).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(parsed.samples().get(6).value()).isNaN();
  }

  @Test
  void openMetricsTimestampsAreSecondsAndExemplarsAreIgnored() {
    PrometheusText.Parsed parsed = PrometheusText.parse(String.join("\n",
        "# TYPE foo_seconds histogram",
        "foo_seconds_bucket{le=\"0.5\"} 4 1520879607.789 # {trace_id=\"KOO5S4vxi0o\"} 0.67",
        "foo_seconds_count 17",
        "# EOF"), 9_000, true);
    assertThat(parsed.errors()).isEmpty();
    assertThat(parsed.samples().get(0).timestampMillis()).isEqualTo(1520879607789L);
    assertThat(parsed.samples().get(0).value()).isEqualTo(4);
    assertThat(parsed.samples().get(1).timestampMillis()).isEqualTo(9_000);
  }

  @Test
  void garbageLinesAreReportedAndTheRestKept() {
    PrometheusText.Parsed parsed = PrometheusText.parse(String.join("\n",
        "good 1", "<html>not metrics</html>", "bad{label=\"unterminated} 1", "also_bad one", "good_too 2"), 0, false);
    assertThat(parsed.samples()).extracting(Sample::name).containsExactly("good", "good_too");
    assertThat(parsed.errors()).hasSize(3).allMatch(e -> e.startsWith("line "));
  }

  @Test
  void helpTypeAndUnitLinesDescribeTheirFamilies() {
    PrometheusText.Parsed parsed = PrometheusText.parse(String.join("\n",
        "# HELP http_requests_total The total number of HTTP requests, with a \\\\ and a \\n.",
        "# TYPE http_requests_total counter",
        "http_requests_total{code=\"200\"} 1027",
        "# TYPE process_cpu_seconds gauge",
        "# UNIT process_cpu_seconds seconds",
        "# HELP empty_help",
        "# TYPE odd flavour",
        "# just a comment",
        "# EOF"), 0, false);
    assertThat(parsed.metadata()).containsExactly(
        new MetricMetadata("http_requests_total", "counter", "The total number of HTTP requests, with a \\ and a \n.", ""),
        new MetricMetadata("process_cpu_seconds", "gauge", "", "seconds"),
        new MetricMetadata("empty_help", "unknown", "", ""),
        new MetricMetadata("odd", "unknown", "", ""));
    assertThat(parsed.samples()).hasSize(1);
  }
}
