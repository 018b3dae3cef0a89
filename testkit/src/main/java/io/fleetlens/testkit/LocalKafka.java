package io.fleetlens.testkit;

import java.nio.file.Path;


import io.fleetlens.devservers.EmbeddedKafka;

/** A KRaft broker from the Kafka jars, running inside the test JVM. */
final class LocalKafka implements KafkaFixture, AutoCloseable {

  private final EmbeddedKafka kafka;

  private LocalKafka(EmbeddedKafka kafka) {
    this.kafka = kafka;
  }

  static LocalKafka launch(Path dir) {
    try {
      return new LocalKafka(new EmbeddedKafka(dir.resolve(Long.toString(System.nanoTime()))).start());
    } catch (Exception e) {
      throw new IllegalStateException("could not start the local Kafka broker", e);
    }
  }

  @Override
  public String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  @Override
  public void close() throws Exception {
    kafka.close();
  }
}
