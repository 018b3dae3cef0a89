package io.fleetlens.aggregator.remotewrite;

import java.util.ArrayList;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fleetlens.aggregator.SampleProducer;
import io.fleetlens.core.metrics.SeriesSamples;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * {@code POST /api/v1/write}: Prometheus remote_write 1.0 into the metrics topic. The sending
 * cluster is the series' {@code cluster} label (set it as an external label), else the user name of
 * the request's basic credentials. With {@link Senders} configured, a request must authenticate as
 * a sender (401 otherwise) and may carry only its own cluster's series (403 otherwise). Answers as
 * the protocol asks: 204 once Kafka holds every sample; 400 for a body that can never be stored
 * (the sender drops it); 415 for a content type that is not protobuf; 413 over the size limit; 503
 * when Kafka cannot take it now (the sender retries).
 */
public final class RemoteWriteReceiver implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RemoteWriteReceiver.class);

  private final SampleProducer producer;
  private final Counter received;
  private final MeterRegistry registry;
  private final Senders senders;

  /** {@code senders}: who may write, or null to take any request (the cluster then as described above). */
  public RemoteWriteReceiver(SampleProducer producer, Senders senders, MeterRegistry registry) {
    this.producer = producer;
    this.senders = senders;
    this.registry = registry;
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
    String sender = null;
    if (senders != null) {
      sender = senders.clusterOf(ctx.request().getHeader("Authorization")).orElse(null);
      if (sender == null) {
        ctx.response().putHeader("WWW-Authenticate", "Basic realm=\"fleetlens remote write\"");
        fail(ctx, 401, "remote write needs a sender's credentials: basic_auth with the cluster as user name, or a"
            + " bearer token");
        return;
      }
    }
    RemoteWriteRequest.Decoded request;
    long t0 = System.nanoTime();
    try {
      request = RemoteWriteRequest.decode(ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes());
    } catch (RemoteWriteRequest.InvalidException e) {
      fail(ctx, 400, e.getMessage());
      return;
    }
    List<SeriesSamples> series = request.series();
    String fromCredentials = sender != null ? sender : basicUser(ctx.request().getHeader("Authorization"));
    List<SeriesSamples> labelled = new ArrayList<>(series.size());
    for (SeriesSamples s : series) {
      String cluster = s.labels().get("cluster");
      if (cluster != null) {
        if (sender != null && !sender.equals(cluster)) {
          fail(ctx, 403, "sender " + sender + " may not write series of cluster " + cluster);
          return;
        }
        labelled.add(s);
        continue;
      }
      if (fromCredentials == null) {
        fail(ctx, 400, "series " + s.seriesKey()
            + " has no cluster label and the request no credentials naming one; set external_labels: {cluster: ...}");
        return;
      }
      TreeMap<String, String> labels = new TreeMap<>(s.labels());
      labels.put("cluster", fromCredentials);
      labelled.add(new SeriesSamples(s.name(), labels, s.timestamps(), s.values()));
    }
    long t1 = System.nanoTime();
    try {
      producer.sendAndWait(labelled);
      producer.describeAndWait(fromCredentials == null ? "" : fromCredentials, request.metadata());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail(ctx, 503, "interrupted");
      return;
    } catch (Exception e) {
      LOG.warn("remote write of {} samples not taken by Kafka: {}", request.sampleCount(), e.toString());
      fail(ctx, 503, "Kafka did not take the samples: " + e.getMessage());
      return;
    }
    received.increment(request.sampleCount());
    if (LOG.isDebugEnabled()) {
      LOG.debug("remote write of {} samples of {} series: decoded in {} ms, in Kafka {} ms later", request.sampleCount(),
          series.size(), (t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000);
    }
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
    // the producer belongs to the aggregator
  }
}
