package io.fleetlens.devservers;

import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real single-node KRaft Kafka (combined broker and controller) running inside this JVM, on a
 * free loopback port, with its log directories under a folder of the caller's choice.
 */
public final class EmbeddedKafka implements AutoCloseable {

  private final Path dataDir;
  private KafkaClusterTestKit cluster;

  public EmbeddedKafka(Path dataDir) {
    this.dataDir = dataDir;
  }

  public EmbeddedKafka start() throws Exception {
    Files.createDirectories(dataDir);
    TestKitNodes nodes = new TestKitNodes.Builder()
        .setCombined(true)
        .setNumBrokerNodes(1)
        .setNumControllerNodes(1)
        .setBaseDirectory(dataDir)
        .build();
    cluster = new KafkaClusterTestKit.Builder(nodes)
        .setConfigProp("offsets.topic.replication.factor", "1")
        .setConfigProp("transaction.state.log.replication.factor", "1")
        .setConfigProp("transaction.state.log.min.isr", "1")
        .setConfigProp("group.initial.rebalance.delay.ms", "0")
        .setConfigProp("num.partitions", "3")
        .setConfigProp("auto.create.topics.enable", "true")
        .setDeleteOnClose(true)
        .build();
    formatQuietly();
    cluster.startup();
    cluster.waitForReadyBrokers();
    return this;
  }

  /** Formatting the log directories prints its progress to stdout; keep the caller's terminal clean. */
  private void formatQuietly() throws Exception {
    java.io.PrintStream stdout = System.out;
    System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
    try {
      cluster.format();
    } finally {
      System.setOut(stdout);
    }
  }

  public String bootstrapServers() {
    return cluster.bootstrapServers();
  }

  @Override
  public void close() throws Exception {
    if (cluster != null) {
      cluster.close();
      cluster = null;
    }
  }
}
