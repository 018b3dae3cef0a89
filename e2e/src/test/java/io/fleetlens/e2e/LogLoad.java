package io.fleetlens.e2e;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

import io.fleetlens.core.logs.ContainerRef;
import io.fleetlens.core.logs.LogLevel;
import io.fleetlens.core.logs.LogOrigin;
import io.fleetlens.core.logs.LogRecord;
import io.fleetlens.core.logs.LogStream;
import io.fleetlens.transport.kafka.LogRecordCodec;
import io.fleetlens.transport.kafka.Producers;

/**
 * Log records put on a logs topic at a steady pace, as collectors would: from {@code containers}
 * containers of cluster {@code cluster} (namespace {@code load}), keyed by container so each
 * container's lines stay in order on one partition; {@code sent} counts them as they go.
 */
record LogLoad(String bootstrap, String topic, String cluster, int records, int containers, int perSecond) {

  /** Sends every record, pacing itself; returns when Kafka has them all. */
  void run(AtomicInteger sent) {
    LogRecordCodec codec = new LogRecordCodec();
    try (KafkaProducer<byte[], byte[]> producer = Producers.reliable(bootstrap, cluster + "-load",
        Map.of(ProducerConfig.LINGER_MS_CONFIG, 5))) {
      long started = System.nanoTime();
      long nanosEach = TimeUnit.SECONDS.toNanos(1) / perSecond;
      for (int i = 0; i < records; i++) {
        int container = i % containers;
        LogRecord record = new LogRecord(cluster, "node-" + container % 3, new ContainerRef("load", "pod-" + container,
            "uid-" + container, "app"), Instant.now(), LogStream.STDOUT, "record " + i, false, LogLevel.INFO,
            new LogOrigin("file-" + container, i));
        producer.send(new ProducerRecord<>(topic, record.orderingKey().getBytes(StandardCharsets.UTF_8),
            codec.encode(record)));
        sent.incrementAndGet();
        long ahead = started + i * nanosEach - System.nanoTime();
        if (ahead > 1_000_000) {
          Thread.sleep(ahead / 1_000_000);
        }
      }
      producer.flush();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Runs the load on a thread of its own, started. */
  Thread start(AtomicInteger sent) {
    Thread load = new Thread(() -> run(sent), cluster + "-load");
    load.start();
    return load;
  }
}
