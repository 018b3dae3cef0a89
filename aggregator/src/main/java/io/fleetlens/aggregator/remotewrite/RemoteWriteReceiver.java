package io.fleetlens.aggregator.remotewrite;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fleetlens.core.metrics.Sample;
import io.fleetlens.transport.kafka.Producers;
import io.fleetlens.transport.kafka.SampleCodec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * {@code POST /api/v1/write}: Prometheus remote_write 1.0 into the metrics topic. The sending
 * cluster is the series' {@code cluster} label (set it as an external label), else the user name of
 * the request's basic credentials. Answers as the protocol asks: 204 once Kafka holds every
 * sample; 400 for a body that can never be stored (the sender drops it); 415 for a content type
 * that is not protobuf; 413 over the size limit; 503 when Kafka cannot take it now (the sender
 * retries).
 */
public final class RemoteWriteReceiver implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RemoteWriteReceiver.class);

  private final KafkaProducer<byte[], byte[]> producer;
  private final String topic;
  private final SampleCodec codec = new SampleCodec();
  private final Counter received;
  private final MeterRegistry registry;

  public RemoteWriteReceiver(String bootstrapServers, String topic, MeterRegistry registry) {
    this.topic = topic;
    this.registry = registry;
    this.producer = Producers.reliable(bootstrapServers, "fleetlens-remote-write",
        Map.of(ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000,
            ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000, ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000));
    this.received = Counter.builder("fleetlens.aggregator.remote.write.samples")
        .description("Samples received by remote_write and handed to Kafka").register(registry);
  }

  public void mount(Router router, long maxBodyBytes) {
    router.post("/api/v1/write").handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes))
        .blockingHandler(this::handle, false);
  }

  private void handle(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    if (type == null || !type.toLowerCase().startsWith("application/x-protobuf")) {
      fail(ctx, 415, "remote write needs Content-Type application/x-protobuf, got " + type);
      return;
    }
    String encoding = ctx.request().getHeader("Content-Encoding");
    if (encoding != null && !encoding.equalsIgnoreCase("snappy")) {
      fail(ctx, 400, "remote write needs Content-Encoding snappy, got " + encoding);
      return;
    }
    List<Sample> samples;
    try {
      samples = RemoteWriteRequest.decode(ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes());
    } catch (RemoteWriteRequest.InvalidException e) {
      fail(ctx, 400, e.getMessage());
      return;
    }
    String fromCredentials = basicUser(ctx.request().getHeader("Authorization"));
    List<Future<RecordMetadata>> sent = new ArrayList<>(samples.size());
    try {
      for (Sample sample : samples) {
        Sample labelled = sample;
        if (!sample.labels().containsKey("cluster")) {
          if (fromCredentials == null) {
            fail(ctx, 400, "series " + sample.name() + sample.labels()
                + " has no cluster label and the request no credentials naming one; set external_labels: {cluster: ...}");
            return;
          }
          TreeMap<String, String> labels = new TreeMap<>(sample.labels());
          labels.put("cluster", fromCredentials);
          labelled = new Sample(sample.name(), labels, sample.timestampMillis(), sample.value());
        }
        byte[] key = (labelled.labels().get("cluster") + "/" + labelled.seriesKey()).getBytes(StandardCharsets.UTF_8);
        sent.add(producer.send(new ProducerRecord<>(topic, key, codec.encode(labelled))));
      }
      producer.flush();
      for (Future<RecordMetadata> f : sent) {
        f.get(30, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail(ctx, 503, "interrupted");
      return;
    } catch (Exception e) {
      LOG.warn("remote write of {} samples not taken by Kafka: {}", samples.size(), e.toString());
      fail(ctx, 503, "Kafka did not take the samples: " + e.getMessage());
      return;
    }
    received.increment(samples.size());
    ctx.response().setStatusCode(204).end();
  }

  private void fail(RoutingContext ctx, int status, String message) {
    Counter.builder("fleetlens.aggregator.remote.write.failures").tag("status", Integer.toString(status))
        .description("Refused remote write requests").register(registry).increment();
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("status", "error").put("error", message).encode());
  }

  private static String basicUser(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      return null;
    }
    try {
      String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      String user = colon >= 0 ? decoded.substring(0, colon) : decoded;
      return user.isBlank() ? null : user;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }
}
