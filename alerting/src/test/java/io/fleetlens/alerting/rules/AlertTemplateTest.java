package io.fleetlens.alerting.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** Expected texts are what Prometheus' Go templates print for the same input. */
class AlertTemplateTest {

  private static String expand(String template, double value) {
    return AlertTemplate.parse(template).expand(new AlertTemplate.Data(
        Map.of("job", "api", "instance", "10.0.0.1:9090", "__name__", "up"), value, Map.of("cluster", "east"),
        "http://fleetlens:8080"));
  }

  @Test
  void labelsValueAndExternalLabels() {
    assertThat(expand("{{ $labels.job }} on {{ $externalLabels.cluster }} is {{ $value }}", 0.25))
        .isEqualTo("api on east is 0.25");
    assertThat(expand("{{ .Labels.instance }} {{ .Value }} {{ $externalURL }}", 3))
        .isEqualTo("10.0.0.1:9090 3 http://fleetlens:8080");
    assertThat(expand("[{{ $labels.missing }}]", 1)).as("missingkey=zero").isEqualTo("[]");
    assertThat(expand("{{ index $labels \"job\" }}", 1)).isEqualTo("api");
  }

  @Test
  void valuesPrintAsGoPrintsFloats() {
    assertThat(expand("{{ $value }}", 1_000_000)).isEqualTo("1e+06");
    assertThat(expand("{{ $value }}", 123456)).isEqualTo("123456");
    assertThat(expand("{{ $value }}", 1234567)).isEqualTo("1.234567e+06");
    assertThat(expand("{{ $value }}", 0.0001)).isEqualTo("0.0001");
    assertThat(expand("{{ $value }}", 0.00001)).isEqualTo("1e-05");
    assertThat(expand("{{ $value }}", Double.NaN)).isEqualTo("NaN");
  }

  @Test
  void prometheusFunctions() {
    assertThat(expand("{{ $value | humanize }}", 1234567)).isEqualTo("1.235M");
    assertThat(expand("{{ humanize $value }}", 0.0123)).isEqualTo("12.3m");
    assertThat(expand("{{ $value | humanize }}", 100)).isEqualTo("100");
    assertThat(expand("{{ $value | humanize1024 }}", 1048576)).isEqualTo("1Mi");
    assertThat(expand("{{ $value | humanizePercentage }}", 0.1234)).isEqualTo("12.34%");
    assertThat(expand("{{ $value | humanizeDuration }}", 3661)).isEqualTo("1h 1m 1s");
    assertThat(expand("{{ $value | humanizeDuration }}", 90061)).isEqualTo("1d 1h 1m 1s");
    assertThat(expand("{{ $value | humanizeDuration }}", 1.5)).isEqualTo("1.5s");
    assertThat(expand("{{ $value | humanizeDuration }}", 0.25)).isEqualTo("250ms");
    assertThat(expand("{{ printf \"%.2f\" $value }}", 3.14159)).isEqualTo("3.14");
    assertThat(expand("{{ $labels.job | toUpper }}", 0)).isEqualTo("API");
    assertThat(expand("{{ \"hello world\" | title }}", 0)).isEqualTo("Hello World");
  }

  @Test
  void trimMarkersAndComments() {
    assertThat(expand("a  {{- $labels.job -}}  b{{/* note */}}", 0)).isEqualTo("aapib");
  }

  @Test
  void aValueThatCannotBeFormattedGivesPrometheusErrorText() {
    assertThat(expand("{{ $labels.job | humanize }}", 0)).startsWith("<error expanding template: humanize");
  }

  @Test
  void unsupportedOrMisspeltActionsAreRefusedAtParse() {
    assertThatThrownBy(() -> AlertTemplate.parse("{{ if $value }}x{{ end }}"))
        .hasMessageContaining("{{ if }} is not supported");
    assertThatThrownBy(() -> AlertTemplate.parse("{{ query \"up\" }}")).hasMessageContaining("\"query\" not defined");
    assertThatThrownBy(() -> AlertTemplate.parse("{{ $value ")).hasMessageContaining("unclosed action");
    assertThatThrownBy(() -> AlertTemplate.parse("{{ }}")).hasMessageContaining("missing value");
  }

  @Test
  void alertValuesPrintAsPrometheusApiPrintsThem() {
    assertThat(GoFormat.exponent(75)).isEqualTo("7.5e+01");
    assertThat(GoFormat.exponent(20)).isEqualTo("2e+01");
    assertThat(GoFormat.exponent(0.001)).isEqualTo("1e-03");
    assertThat(GoFormat.exponent(0)).isEqualTo("0e+00");
    assertThat(GoFormat.exponent(Double.NaN)).isEqualTo("NaN");
  }
}
