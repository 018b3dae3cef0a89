package io.fleetlens.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.fleetlens.aggregator.AggregatorConfig;
import io.fleetlens.aggregator.AggregatorMain;
import io.fleetlens.core.metrics.Sample;
import io.fleetlens.devservers.KafkaProcess;
import io.fleetlens.query.QueryApiConfig;
import io.fleetlens.query.QueryApiMain;
import io.fleetlens.testkit.ElasticsearchFixture;
import io.fleetlens.testkit.RealServers;
import io.fleetlens.testkit.TestCertificates;
import io.fleetlens.transport.kafka.KafkaCluster;
import io.fleetlens.transport.kafka.Producers;

/**
 * The aggregator on a real broker that takes only TLS with SASL (certificates made in the test):
 * with the client settings from a properties file it creates its topics, takes remote-written
 * samples onto the metrics topic, consumes and indexes them, and PromQL answers; a client without
 * credentials, or with a wrong password, gets nothing through.
 */
@ExtendWith(RealServers.class)
class SecuredKafkaIT {

  private static final String PASSWORD = "aggregator-kafka-secret";

  @TempDir
  static Path dir;
  private static KafkaProcess kafka;
  private static AggregatorMain aggregator;
  private static QueryApiMain queryApi;
  private static TestCertificates certs;

  @BeforeAll
  static void start(ElasticsearchFixture elasticsearch) throws Exception {
    certs = new TestCertificates(dir);
    kafka = new KafkaProcess(dir.resolve("kafka"), new KafkaProcess.Secured(certs.keyStore("server"),
        TestCertificates.PASSWORD, Map.of("fleetlens", PASSWORD))).start();
    Path client = clientProperties("client.properties", PASSWORD);
    String name = "secured";
    aggregator = new AggregatorMain(new AggregatorConfig(
        new AggregatorConfig.Kafka(kafka.bootstrapServers(), name + ".logs", name + ".logs.dead-letter", name + ".metrics",
            name + ".metrics.dead-letter", name + "-aggregator", 1, 1, 5_000, 600_000, true, 3, (short) 1)
            .withClientProperties(client.toString()),
        new AggregatorConfig.Elasticsearch(List.of(elasticsearch.httpUrl()), name, 1, 0, "200ms", false),
        new AggregatorConfig.Retry(100, 2_000), new AggregatorConfig.Retention(0, 0, 3_600_000),
        Pipeline.NO_COMPACTION, new AggregatorConfig.AccessLogs(false, 1_000), Pipeline.NO_FEDERATION,
        new AggregatorConfig.Http("127.0.0.1", 0)));
    queryApi = new QueryApiMain(new QueryApiConfig(new QueryApiConfig.Elasticsearch(List.of(elasticsearch.httpUrl()),
        name), new QueryApiConfig.Promql(50_000_000, 10_000, 60_000, 300_000), new QueryApiConfig.Http("127.0.0.1", 0),
        QueryApiConfig.Database.inMemory("secured"), QueryApiConfig.Alerting.defaults().off(), QueryApiConfig.Auth.off(),
        QueryApiConfig.Limits.defaults()));
  }

  private static Path clientProperties(String file, String password) throws Exception {
    return Files.writeString(dir.resolve(file), String.join("\n",
        "security.protocol=SASL_SSL",
        "sasl.mechanism=PLAIN",
        "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=\"fleetlens\""
            + " password=\"" + password + "\";",
        "ssl.truststore.type=PEM",
        "ssl.truststore.location=" + certs.pem("ca"),
        ""));
  }

  @AfterAll
  static void stop() throws Exception {
    if (queryApi != null) {
      queryApi.close();
    }
    if (aggregator != null) {
      aggregator.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void samplesTravelThroughTheSecuredBrokerAndComeBackThroughPromql() throws Exception {
    long now = System.currentTimeMillis();
    Http.Response written = Http.remoteWrite("http://127.0.0.1:" + aggregator.httpPort(), List.of(new Sample(
        "secured_probe", new TreeMap<>(Map.of("cluster", "east")), now, 42)), null);
    assertThat(written.status()).as(written.body()).isEqualTo(204);
    String query = "http://127.0.0.1:" + queryApi.httpPort() + "/api/v1/query?query="
        + URLEncoder.encode("secured_probe", StandardCharsets.UTF_8) + "&time=" + now / 1000.0;
    Instant deadline = Instant.now().plusSeconds(60);
    JsonNode result = null;
    while (Instant.now().isBefore(deadline)) {
      result = Http.get(query).json().path("data").path("result");
      if (result.size() == 1) {
        break;
      }
      Thread.sleep(250);
    }
    assertThat(result).hasSize(1);
    assertThat(result.get(0).path("value").get(1).asDouble()).isEqualTo(42);
  }

  @Test
  void withoutCredentialsOrWithAWrongPasswordNothingGetsThrough() throws Exception {
    Map<String, Object> quick = Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 3_000);
    try (KafkaProducer<byte[], byte[]> plain = Producers.reliable(KafkaCluster.plain(kafka.bootstrapServers()),
        "plain", quick)) {
      assertThatThrownBy(() -> plain.partitionsFor("secured.metrics")).hasMessageContaining("not present in metadata");
    }
    KafkaCluster wrong = KafkaCluster.of(kafka.bootstrapServers(),
        clientProperties("wrong.properties", "not-the-password").toString());
    try (KafkaProducer<byte[], byte[]> impostor = Producers.reliable(wrong, "impostor", quick)) {
      assertThatThrownBy(() -> impostor.partitionsFor("secured.metrics")).hasMessageContaining("Authentication failed");
    }
  }
}
