package io.fleetlens.testkit;

import org.testcontainers.kafka.KafkaContainer;

/** Kafka in a container, for machines with a Docker engine. */
final class ContainerKafka implements KafkaFixture, AutoCloseable {

  static final String IMAGE = "apache/kafka:4.1.1";

  private final KafkaContainer container;

  private ContainerKafka(KafkaContainer container) {
    this.container = container;
  }

  static ContainerKafka launch() {
    KafkaContainer container = new KafkaContainer(IMAGE);
    container.start();
    return new ContainerKafka(container);
  }

  @Override
  public String bootstrapServers() {
    return container.getBootstrapServers();
  }

  @Override
  public void close() {
    container.stop();
  }
}
