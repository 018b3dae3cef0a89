package io.fleetlens.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  record Kafka(String bootstrapServers, String topic) {
  }

  record Sample(String cluster, Kafka kafka, int maxLineBytes, List<String> hosts) {
  }

  private static final String DEFAULTS = "sample-defaults.yaml";

  @Test
  void defaultsApplyWithoutAFile() {
    Sample sample = ConfigLoader.load(Sample.class, DEFAULTS, null, Map.of());
    assertThat(sample).isEqualTo(new Sample("local", new Kafka("127.0.0.1:9092", "fleetlens.logs"), 1024,
        List.of("http://a:9200")));
  }

  @Test
  void fileOverridesDefaultsAndEnvironmentOverridesFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("config.yaml");
    Files.writeString(file, "cluster: prod-eu\nkafka:\n  topic: other\nmax-line-bytes: 2048\n");
    Sample sample = ConfigLoader.load(Sample.class, DEFAULTS, file, Map.of(
        "FLEETLENS_KAFKA_BOOTSTRAP_SERVERS", "k1:9092,k2:9092",
        "FLEETLENS_MAX_LINE_BYTES", "4096",
        "FLEETLENS_HOSTS", "http://x:9200, http://y:9200"));
    assertThat(sample).isEqualTo(new Sample("prod-eu", new Kafka("k1:9092,k2:9092", "other"), 4096,
        List.of("http://x:9200", "http://y:9200")));
  }

  @Test
  void unknownKeyIsAnErrorNamingIt(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("config.yaml");
    Files.writeString(file, "kafka:\n  topik: typo\n");
    assertThatThrownBy(() -> ConfigLoader.load(Sample.class, DEFAULTS, file, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("topik")
        .hasMessageContaining(file.toString());
  }

  @Test
  void everyKeyHasAnEnvironmentVariable() {
    assertThat(ConfigLoader.environmentVariables(Sample.class, DEFAULTS)).containsExactly(
        "FLEETLENS_CLUSTER", "FLEETLENS_KAFKA_BOOTSTRAP_SERVERS", "FLEETLENS_KAFKA_TOPIC",
        "FLEETLENS_MAX_LINE_BYTES", "FLEETLENS_HOSTS");
  }
}
