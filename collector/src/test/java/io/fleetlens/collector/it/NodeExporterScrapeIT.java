package io.fleetlens.collector.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.fleetlens.collector.Collector;
import io.fleetlens.collector.CollectorConfig;
import io.fleetlens.collector.kube.RecordedKubelet;
import io.fleetlens.core.metrics.MetricMetadata;
import io.fleetlens.core.metrics.Sample;
import io.fleetlens.devservers.FreePorts;
import io.fleetlens.testkit.KafkaFixture;
import io.fleetlens.testkit.RealServers;
import io.fleetlens.transport.kafka.SampleBatchCodec;
import io.fleetlens.transport.kafka.SampleCodec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** Scrapes Debian's prometheus-node-exporter and checks the metrics topic against what it exposes. */
@ExtendWith(RealServers.class)
class NodeExporterScrapeIT {

  private static final Path NODE_EXPORTER = Path.of("/usr/bin/prometheus-node-exporter");
  private static final Pattern MEM_TOTAL = Pattern.compile("(?m)^node_memory_MemTotal_bytes (\\S+)$");
  private static final Pattern NAME = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]");

  @Test
  void scrapedSamplesOnTheTopicMatchWhatTheExporterExposes(KafkaFixture kafka) throws Exception {
    assertThat(NODE_EXPORTER).as("prometheus-node-exporter is installed (.ci/run installs it)").exists();
    int port = FreePorts.next();
    Process exporter = new ProcessBuilder(NODE_EXPORTER.toString(), "--web.listen-address=127.0.0.1:" + port)
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    Path work = Files.createDirectories(Path.of("target", "it", "scrape-" + System.nanoTime()).toAbsolutePath());
    String url = "http://127.0.0.1:" + port + "/metrics";
    try {
      String exposed = awaitExposed(url);
      CollectorConfig config = TestCollectors.config("scrape-it", work, kafka, List.of("node=" + url));
      List<Sample> scraped;
      MetricMetadata memTotalDescribed;
      try (Collector collector = new Collector(config, new SimpleMeterRegistry()).start()) {
        scraped = readOneScrape(kafka);
        memTotalDescribed = awaitDescription(kafka, "scrape-it", "node_memory_MemTotal_bytes");
      }
      assertThat(memTotalDescribed.type()).isEqualTo("gauge");
      assertThat(memTotalDescribed.help()).isEqualTo("Memory information field MemTotal_bytes.");
      Map<String, String> target = Map.of("cluster", "scrape-it", "node", "node-a", "job", "node",
          "instance", "127.0.0.1:" + port);
      assertThat(scraped).allSatisfy(s -> assertThat(s.labels()).containsAllEntriesOf(target));
      assertThat(scraped).anySatisfy(s -> {
        assertThat(s.name()).isEqualTo("up");
        assertThat(s.value()).isEqualTo(1);
      });
      Set<String> names = new HashSet<>();
      scraped.forEach(s -> names.add(s.name()));
      Set<String> exposedNames = new HashSet<>();
      Matcher name = NAME.matcher(exposed);
      while (name.find()) {
        exposedNames.add(name.group(1));
      }
      assertThat(names).containsAll(exposedNames);
      Matcher memTotal = MEM_TOTAL.matcher(exposed);
      assertThat(memTotal.find()).isTrue();
      Sample scrapedMemTotal = scraped.stream().filter(s -> s.name().equals("node_memory_MemTotal_bytes"))
          .findFirst().orElseThrow();
      assertThat(scrapedMemTotal.value()).isEqualTo(Double.parseDouble(memTotal.group(1)));
    } finally {
      exporter.destroy();
    }
  }

  @Test
  void aPodAnnotatedForScrapingIsFoundThroughTheKubeletAndLabelledAsAPod(KafkaFixture kafka) throws Exception {
    assertThat(NODE_EXPORTER).as("prometheus-node-exporter is installed (.ci/run installs it)").exists();
    int port = FreePorts.next();
    Process exporter = new ProcessBuilder(NODE_EXPORTER.toString(), "--web.listen-address=127.0.0.1:" + port)
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    Path work = Files.createDirectories(Path.of("target", "it", "pod-scrape-" + System.nanoTime()).toAbsolutePath());
    try (RecordedKubelet kubelet = new RecordedKubelet(work.resolve("kubelet"), podListWithExporterOn(port))) {
      awaitExposed("http://127.0.0.1:" + port + "/metrics");
      CollectorConfig base = TestCollectors.config("pod-scrape-it", work, kafka, List.of(),
          TestCollectors.kubelet(kubelet.url().toString(), kubelet.tokenFile(), kubelet.caFile()));
      CollectorConfig config = new CollectorConfig(base.cluster(), base.node(), base.logs(), base.multiline(),
          base.checkpoints(), base.kafka(), base.spool(), base.kubelet(),
          new CollectorConfig.Scrape(List.of(), true, 2_000, 5_000), base.nodeMetrics(), base.http());
      List<Sample> scraped;
      try (Collector collector = new Collector(config, new SimpleMeterRegistry()).start()) {
        scraped = readOneScrape(kafka, "pod-scrape-it");
      }
      Map<String, String> target = Map.of("cluster", "pod-scrape-it", "node", "node-a", "namespace", "monitoring",
          "pod", "node-exporter-8hj2k", "container", "node-exporter", "job", "kubernetes-pods",
          "instance", "127.0.0.1:" + port);
      assertThat(scraped).allSatisfy(s -> assertThat(s.labels()).containsAllEntriesOf(target));
      assertThat(scraped).anySatisfy(s -> {
        assertThat(s.name()).isEqualTo("up");
        assertThat(s.value()).isEqualTo(1);
      });
      assertThat(scraped).anySatisfy(s -> assertThat(s.name()).isEqualTo("node_memory_MemTotal_bytes"));
    } finally {
      exporter.destroy();
    }
  }

  /**
   * The recorded pod list with its node-exporter pod annotated for scraping and reachable here: every
   * other pod keeps addresses this machine must never send to, and no annotation that asks for it.
   */
  private static byte[] podListWithExporterOn(int port) throws Exception {
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    var root = json.readTree(Files.readAllBytes(Path.of("src/test/resources/kubelet/pods.json")));
    for (var item : root.path("items")) {
      var meta = (com.fasterxml.jackson.databind.node.ObjectNode) item.path("metadata");
      var annotations = (com.fasterxml.jackson.databind.node.ObjectNode) meta.path("annotations");
      if (meta.path("name").asText().startsWith("node-exporter")) {
        annotations.put("prometheus.io/scrape", "true").put("prometheus.io/port", Integer.toString(port));
        ((com.fasterxml.jackson.databind.node.ObjectNode) item.path("status")).put("podIP", "127.0.0.1");
        ((com.fasterxml.jackson.databind.node.ObjectNode) item.path("spec").path("containers").get(0).path("ports").get(0))
            .put("containerPort", port);
      } else {
        annotations.remove("prometheus.io/scrape");
      }
    }
    return json.writeValueAsBytes(root);
  }

  private static String awaitExposed(String url) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    Instant deadline = Instant.now().plusSeconds(30);
    while (true) {
      try {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
      } catch (java.io.IOException notYet) {
        if (Instant.now().isAfter(deadline)) {
          throw notYet;
        }
        Thread.sleep(200);
      }
    }
  }

  /** The first description of {@code metric} on the cluster's metrics topic. */
  private static MetricMetadata awaitDescription(KafkaFixture kafka, String cluster, String metric) throws Exception {
    SampleCodec codec = new SampleCodec();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        ConsumerConfig.GROUP_ID_CONFIG, cluster + "-metadata-reader",
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(cluster + ".metrics"));
      Instant deadline = Instant.now().plusSeconds(60);
      while (Instant.now().isBefore(deadline)) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          if (!SampleBatchCodec.isBatch(record.value())
              && codec.decodeRecord(record.value()) instanceof MetricMetadata m && m.metric().equals(metric)) {
            return m;
          }
        }
      }
    }
    throw new AssertionError("no description of " + metric + " on the metrics topic in 60 s");
  }

  /** Samples from the topic up to and including the first scrape's scrape_samples_scraped. */
  private static List<Sample> readOneScrape(KafkaFixture kafka) throws Exception {
    return readOneScrape(kafka, "scrape-it");
  }

  private static List<Sample> readOneScrape(KafkaFixture kafka, String cluster) throws Exception {
    SampleCodec codec = new SampleCodec();
    List<Sample> samples = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        ConsumerConfig.GROUP_ID_CONFIG, cluster + "-reader",
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(cluster + ".metrics"));
      Instant deadline = Instant.now().plusSeconds(60);
      double expected = -1;
      while (Instant.now().isBefore(deadline) && (expected < 0 || samples.size() < expected + 3)) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          for (io.fleetlens.core.metrics.MetricRecord decoded : codec.decodeAll(record.value())) {
            if (!(decoded instanceof Sample sample)) {
              continue; // a metric's description
            }
            samples.add(sample);
            if (sample.name().equals("scrape_samples_scraped")) {
              expected = sample.value();
            }
          }
        }
      }
    }
    return samples;
  }
}
