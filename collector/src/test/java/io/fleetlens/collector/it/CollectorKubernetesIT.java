package io.fleetlens.collector.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.fleetlens.collector.Collector;
import io.fleetlens.collector.kube.RecordedKubelet;
import io.fleetlens.core.logs.LogRecord;
import io.fleetlens.core.pods.Workload;
import io.fleetlens.testkit.KafkaFixture;
import io.fleetlens.testkit.LogTopicReader;
import io.fleetlens.testkit.RealServers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Pod metadata from a kubelet (the recorded pod list over HTTPS, token and CA checked), opting out
 * by annotation, and the /var/log/containers links, against a real Kafka.
 */
@ExtendWith(RealServers.class)
class CollectorKubernetesIT {

  private static final String CART = "shop_cart-7d9f8b6c5-x2kq9_4f6c2a10-1b2c-4d3e-8f90-a1b2c3d4e5f6";
  private static final String ORDERS_DB = "shop_orders-db-0_5a7d3b21-2c3d-4e4f-9a01-b2c3d4e5f6a7";
  private static final String NOISY = "shop_noisy-debug_8d0a6e54-5f60-4172-8d34-e5f6a7b8c9d0";
  private static final String UNKNOWN = "shop_brand-new_0000aaaa-0000-4000-8000-000000000000";

  @Test
  void recordsCarryTheirPodsMetadataAndOptedOutPodsAreNotRead(KafkaFixture kafka) throws Exception {
    Path work = Files.createDirectories(Path.of("target", "it", "kube-" + System.nanoTime()).toAbsolutePath());
    byte[] pods = Files.readAllBytes(Path.of("src/test/resources/kubelet/pods.json"));
    Path cartLog = write(work.resolve("pods/" + CART + "/app/0.log"), "cart says hello");
    write(work.resolve("pods/" + CART + "/istio-proxy/0.log"), "proxy says hello");
    write(work.resolve("pods/" + ORDERS_DB + "/postgres/0.log"), "postgres says hello");
    write(work.resolve("pods/" + ORDERS_DB + "/backup/0.log"), "backup must not be read");
    write(work.resolve("pods/" + NOISY + "/noisy/0.log"), "noisy must not be read");
    write(work.resolve("pods/" + UNKNOWN + "/app/0.log"), "unknown pod still read");
    Path links = Files.createDirectories(work.resolve("containers"));
    Files.createSymbolicLink(links.resolve("cart-7d9f8b6c5-x2kq9_shop_app-" + "a3f1".repeat(16) + ".log"), cartLog);
    Path dockerFile = Files.createDirectories(work.resolve("docker/1b0e9d8c")).resolve("1b0e9d8c-json.log");
    Files.writeString(dockerFile, "{\"log\":\"nginx says hello\\n\",\"stream\":\"stdout\",\"time\":\"" + Instant.now()
        + "\"}\n");
    Files.createSymbolicLink(links.resolve("web-legacy_shop_nginx-1b0e9d8c.log"), dockerFile);

    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (RecordedKubelet kubelet = new RecordedKubelet(work.resolve("kubelet"), pods);
        Collector collector = new Collector(TestCollectors.config("kube", work, kafka, List.of(),
            TestCollectors.kubelet(kubelet.url().toString(), kubelet.tokenFile(), kubelet.caFile())), registry).start();
        LogTopicReader reader = new LogTopicReader(kafka.bootstrapServers(), "kube.logs")) {
      reader.readUntil(lines -> byMessage(reader).keySet().containsAll(List.of("cart says hello", "proxy says hello",
          "postgres says hello", "unknown pod still read", "nginx says hello")), Duration.ofSeconds(60));

      Map<String, LogRecord> seen = byMessage(reader);
      LogRecord cart = seen.get("cart says hello");
      assertThat(cart.pod().workload()).isEqualTo(new Workload("Deployment", "cart"));
      assertThat(cart.pod().labels()).containsEntry("app.kubernetes.io/name", "cart");
      assertThat(cart.pod().annotations()).containsEntry("team", "checkout")
          .doesNotContainKey("kubectl.kubernetes.io/last-applied-configuration");
      assertThat(seen.get("postgres says hello").pod().workload()).isEqualTo(new Workload("StatefulSet", "orders-db"));
      LogRecord nginx = seen.get("nginx says hello");
      assertThat(nginx.container().name()).isEqualTo("nginx");
      assertThat(nginx.container().podUid()).isEqualTo("9e1b7f65-6071-4283-9e45-f6a7b8c9d0e1");
      assertThat(nginx.pod().workload()).isEqualTo(new Workload("ReplicaSet", "web-legacy-manual"));
      assertThat(seen.get("unknown pod still read").pod().known()).isFalse();

      // the cart pod is deleted: the kubelet forgets it, its last lines keep what was known of it
      kubelet.serve("{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{},\"items\":[]}".getBytes());
      int before = kubelet.requests();
      while (kubelet.requests() < before + 2) {
        Thread.sleep(50);
      }
      Files.writeString(cartLog, Instant.now() + " stdout F cart's last words\n", StandardOpenOption.APPEND);
      reader.readUntil(lines -> byMessage(reader).containsKey("cart's last words"), Duration.ofSeconds(30));
      assertThat(byMessage(reader).get("cart's last words").pod().workload()).isEqualTo(new Workload("Deployment", "cart"));

      Thread.sleep(1_000);
      assertThat(reader.records()).extracting(LogRecord::message)
          .doesNotContain("backup must not be read", "noisy must not be read")
          .containsOnlyOnce("cart says hello");
      assertThat(registry.counter("fleetlens.collector.files.opted.out").count()).isEqualTo(2);
      assertThat(registry.find("fleetlens.collector.kafka.ack").timer().count()).isGreaterThanOrEqualTo(6);
      assertThat(registry.counter("fleetlens.collector.lines.read").count()).isEqualTo(6);
      assertThat(registry.find("fleetlens.collector.file.lag.bytes").gauges()).extracting(g -> g.getId().getTag("file"))
          .contains(cartLog.toString()).noneMatch(f -> f.contains("noisy"));
    }
  }

  private static Map<String, LogRecord> byMessage(LogTopicReader reader) {
    return reader.records().stream().collect(Collectors.toMap(LogRecord::message, r -> r, (a, b) -> b));
  }

  private static Path write(Path file, String message) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.writeString(file, Instant.now() + " stdout F " + message + "\n", StandardCharsets.UTF_8);
  }
}
