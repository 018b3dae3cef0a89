package io.fleetlens.devservers;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real single-node KRaft Kafka (combined broker and controller) running inside this JVM, on a
 * free loopback port, with its log directories under a folder of the caller's choice. By default
 * the folder is formatted afresh and deleted on close (tests); {@link #keepingData} makes a broker
 * that starts again on the topics and offsets an earlier run, or a crash, left there.
 */
public final class EmbeddedKafka implements AutoCloseable {

  /** Where the test kit puts the combined node's log directory, and the file formatting writes there. */
  private static final String META_PROPERTIES = "combined_0_0/meta.properties";
  private static final String NODE_ID = "0";

  private final Path dataDir;
  private final boolean keepData;
  private KafkaClusterTestKit cluster;

  public EmbeddedKafka(Path dataDir) {
    this(dataDir, false);
  }

  private EmbeddedKafka(Path dataDir, boolean keepData) {
    this.dataDir = dataDir;
    this.keepData = keepData;
  }

  /** A broker whose log directories outlive it: the next start on {@code dataDir} finds its data. */
  public static EmbeddedKafka keepingData(Path dataDir) {
    return new EmbeddedKafka(dataDir, true);
  }

  public EmbeddedKafka start() throws Exception {
    Files.createDirectories(dataDir);
    Optional<String> formatted = keepData ? formattedClusterId() : Optional.empty();
    TestKitNodes.Builder nodes = new TestKitNodes.Builder()
        .setCombined(true)
        .setNumBrokerNodes(1)
        .setNumControllerNodes(1)
        .setBaseDirectory(dataDir);
    formatted.ifPresent(nodes::setClusterId);
    cluster = new KafkaClusterTestKit.Builder(nodes.build())
        .setConfigProp("offsets.topic.replication.factor", "1")
        .setConfigProp("transaction.state.log.replication.factor", "1")
        .setConfigProp("transaction.state.log.min.isr", "1")
        .setConfigProp("group.initial.rebalance.delay.ms", "0")
        .setConfigProp("num.partitions", "3")
        .setConfigProp("auto.create.topics.enable", "true")
        .setDeleteOnClose(!keepData)
        .build();
    if (formatted.isEmpty()) {
      formatQuietly();
    }
    awaitReady(Duration.ofSeconds(90));
    return this;
  }

  /** Starts the node and waits until its broker serves, or gives up: a broker that cannot join never says so. */
  private void awaitReady(Duration timeout) throws Exception {
    FutureTask<Void> ready = new FutureTask<>(() -> {
      cluster.startup();
      cluster.waitForReadyBrokers();
      return null;
    });
    Thread starter = new Thread(ready, "embedded-kafka-start");
    starter.setDaemon(true);
    starter.start();
    try {
      ready.get(timeout.toSeconds(), TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      ready.cancel(true);
      close();
      throw new IOException("Kafka's broker was not ready within " + timeout.toSeconds() + " s (log directories in "
          + dataDir + ")");
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  /** The cluster id an earlier run formatted {@code dataDir} with, if it did. */
  private Optional<String> formattedClusterId() throws IOException {
    Path meta = dataDir.resolve(META_PROPERTIES);
    if (!Files.exists(meta)) {
      return Optional.empty();
    }
    Properties properties = new Properties();
    try (Reader in = Files.newBufferedReader(meta)) {
      properties.load(in);
    }
    String nodeId = properties.getProperty("node.id", "");
    if (!nodeId.equals(NODE_ID)) {
      throw new IOException(meta + " belongs to Kafka node " + nodeId + ", not to this broker (node " + NODE_ID
          + "): move that folder away or use another data folder");
    }
    String clusterId = properties.getProperty("cluster.id");
    if (clusterId == null || clusterId.isBlank()) {
      throw new IOException(meta + " names no cluster.id: the folder is not a Kafka log directory this broker made");
    }
    return Optional.of(clusterId);
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
