package io.fleetlens.transport.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClusterTest {

  @TempDir
  Path dir;

  @Test
  void securitySettingsComeFromTheFileAndAreNeverShown() throws Exception {
    Path file = Files.writeString(dir.resolve("client.properties"), """
        security.protocol=SASL_SSL
        sasl.mechanism=PLAIN
        sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="a" password="hunter2-secret";
        ssl.truststore.type=PEM
        ssl.truststore.location=/etc/kafka/ca.pem
        """);
    KafkaCluster cluster = KafkaCluster.of("kafka:9093", file.toString());
    Map<String, Object> config = cluster.config(Map.of("client.id", "x"));
    assertThat(config).containsEntry("bootstrap.servers", "kafka:9093").containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("ssl.truststore.type", "PEM").containsEntry("client.id", "x");
    assertThat(cluster.toString()).isEqualTo("kafka:9093 (SASL_SSL, 5 security settings)")
        .doesNotContain("hunter2");
    assertThat(KafkaCluster.of("kafka:9092", "").config(Map.of())).containsOnlyKeys("bootstrap.servers");
  }

  @Test
  void aFileSettingAnythingButSecurityIsRefusedByName() throws Exception {
    Path file = Files.writeString(dir.resolve("client.properties"), "security.protocol=SSL\nacks=0\n");
    assertThatThrownBy(() -> KafkaCluster.of("kafka:9093", file.toString()))
        .hasMessageContaining("sets acks; only security.protocol, sasl.* and ssl.* may be set there");
    assertThatThrownBy(() -> KafkaCluster.of("kafka:9093", dir.resolve("missing").toString()))
        .hasMessageContaining("cannot read");
  }
}
