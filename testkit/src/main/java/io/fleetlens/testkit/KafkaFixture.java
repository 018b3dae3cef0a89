package io.fleetlens.testkit;

/** A real Kafka broker shared by every test in this JVM. */
public interface KafkaFixture {

  String bootstrapServers();
}
