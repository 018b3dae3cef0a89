package io.fleetlens.collector;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fleetlens.collector.spool.Spool;
import io.fleetlens.core.logs.LogRecord;
import io.fleetlens.transport.kafka.LogRecordCodec;
import io.fleetlens.transport.kafka.KafkaCluster;
import io.fleetlens.transport.kafka.Producers;

/**
 * Sends log records to the logs topic, keyed so one container's records stay in order. While Kafka
 * cannot be reached, records go to the on-disk spool instead and count as delivered once the spool
 * has them on disk; when Kafka answers again the spool is drained in order before records go
 * straight to Kafka again. When the spool is full, the collector stops reading.
 */
final class KafkaLogShipper implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaLogShipper.class);

  /** Told once per record: null when it is safely delivered, else why it is not. */
  @FunctionalInterface
  interface Outcome {
    void done(Exception failure);
  }

  private final KafkaProducer<byte[], byte[]> producer;
  private final Admin admin;
  private final String topic;
  private final Spool spool;
  private final CollectorMetrics metrics;
  private final LogRecordCodec codec = new LogRecordCodec();
  private final List<Outcome> awaitingSync = new ArrayList<>();
  private final Thread watcher = new Thread(this::watch, "collector-kafka-watch");
  private volatile boolean kafkaUp = true;
  private volatile boolean running = true;
  private volatile boolean spooling;

  KafkaLogShipper(String bootstrapServers, String topic, String clientId, Spool spool, CollectorMetrics metrics) {
    this(KafkaCluster.plain(bootstrapServers), topic, clientId, spool, metrics);
  }

  KafkaLogShipper(KafkaCluster cluster, String topic, String clientId, Spool spool, CollectorMetrics metrics) {
    this.topic = topic;
    this.spool = spool;
    this.metrics = metrics;
    this.producer = Producers.reliable(cluster, clientId, Map.of(
        ProducerConfig.LINGER_MS_CONFIG, 20,
        ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
        // records in flight when Kafka leaves are retried, in order, until it is back: failing them
        // would resend them behind newer records; newer records wait in the spool meanwhile
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 3_600_000));
    this.admin = Admin.create(cluster.config(Map.of(AdminClientConfig.CLIENT_ID_CONFIG, clientId + "-health",
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2_000,
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 1_500)));
    metrics.spoolGauges(spool::bytes, () -> kafkaUp ? 1 : 0);
    watcher.setDaemon(true);
    watcher.start();
  }

  /** Sends a record, or spools it while Kafka is away; returns true when it went to the spool. */
  boolean send(LogRecord record, Outcome outcome) {
    byte[] key = record.orderingKey().getBytes(StandardCharsets.UTF_8);
    byte[] value = codec.encode(record);
    synchronized (this) {
      if (spooling || !kafkaUp) {
        spool(key, value, outcome);
        return true;
      }
    }
    try {
      long sentAt = System.nanoTime();
      producer.send(new ProducerRecord<>(topic, key, value), (metadata, failure) -> {
        if (failure == null) {
          metrics.kafkaAck.record(System.nanoTime() - sentAt, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
        outcome.done(failure);
      });
    } catch (RuntimeException failure) {
      outcome.done(failure);
    }
    return false;
  }

  /** True while records go to the spool rather than to Kafka. */
  boolean spooling() {
    return spooling || !kafkaUp;
  }

  private void spool(byte[] key, byte[] value, Outcome outcome) {
    if (!spooling) {
      LOG.warn("Kafka unreachable; spooling records to disk");
    }
    spooling = true;
    try {
      spool.append(key, value);
      awaitingSync.add(outcome);
      metrics.spooled.increment();
    } catch (IOException e) {
      outcome.done(e);
    }
  }

  /** Makes what was spooled durable and tells those records' outcome; the reading thread calls it. */
  void syncSpool() {
    List<Outcome> done;
    synchronized (this) {
      if (awaitingSync.isEmpty()) {
        return;
      }
      done = new ArrayList<>(awaitingSync);
      awaitingSync.clear();
      try {
        spool.sync();
      } catch (IOException e) {
        done.forEach(o -> o.done(e));
        return;
      }
    }
    done.forEach(o -> o.done(null));
  }

  boolean spoolFull() {
    return spool.full();
  }

  boolean kafkaReachable() {
    return kafkaUp;
  }

  /** Checks Kafka every half second and drains the spool while it answers. */
  private void watch() {
    while (running) {
      kafkaUp = probe();
      try {
        if (kafkaUp && !drainOnce()) {
          Thread.sleep(500);
        } else if (!kafkaUp) {
          Thread.sleep(500);
        }
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        LOG.warn("draining the spool failed; will retry: {}", e.getMessage());
        spool.rewind();
      }
    }
  }

  /** Sends one batch from the spool; returns true when there was one. */
  private boolean drainOnce() throws Exception {
    List<Spool.Entry> batch;
    synchronized (this) {
      if (!spooling) {
        return false;
      }
      batch = spool.read(2_000);
      if (batch.isEmpty()) {
        spooling = false;
        LOG.info("spool drained; sending straight to Kafka again");
        return false;
      }
    }
    List<Future<RecordMetadata>> sent = new ArrayList<>(batch.size());
    for (Spool.Entry entry : batch) {
      sent.add(producer.send(new ProducerRecord<>(topic, entry.key(), entry.value())));
    }
    for (Future<RecordMetadata> future : sent) {
      future.get(30, TimeUnit.SECONDS);
    }
    spool.delivered(batch.get(batch.size() - 1));
    metrics.drained.increment(batch.size());
    return true;
  }

  private boolean probe() {
    try {
      admin.describeCluster(new DescribeClusterOptions().timeoutMs(1_500)).nodes().get(2, TimeUnit.SECONDS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (Exception e) {
      return false;
    }
  }

  @Override
  public void close() throws IOException, InterruptedException {
    running = false;
    watcher.interrupt();
    watcher.join(5_000);
    syncSpool();
    producer.close(Duration.ofSeconds(30));
    admin.close(Duration.ofSeconds(5));
    spool.close();
  }
}
