package io.fleetlens.devservers;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.Uuid;

/**
 * A real single-node KRaft Kafka (broker and controller) in a child JVM, from the Kafka jars on this
 * JVM's class path. Unlike {@link EmbeddedKafka} it can be stopped and started again on the same
 * port with the same data, which is how broker outages are rehearsed.
 */
public final class KafkaProcess implements AutoCloseable {

  private final Path dir;
  private final int port = FreePorts.next();
  private final int controllerPort = FreePorts.next();
  private final int internalPort = FreePorts.next();
  private final Secured secured;
  private Process process;

  /**
   * A broker whose client listener takes only TLS with SASL PLAIN: its key and certificate from a
   * PKCS#12 {@code keyStore}, and {@code users} (name to password) who may sign in.
   */
  public record Secured(Path keyStore, String keyStorePassword, java.util.Map<String, String> users) {
  }

  public KafkaProcess(Path dir) {
    this(dir, null);
  }

  /** With {@code secured} set, clients connect with SASL_SSL only; the broker talks to itself in plain text. */
  public KafkaProcess(Path dir, Secured secured) {
    this.dir = dir;
    this.secured = secured;
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  public synchronized KafkaProcess start() throws IOException, InterruptedException {
    if (process != null && process.isAlive()) {
      return this;
    }
    Path config = dir.resolve("server.properties");
    if (!Files.exists(config)) {
      Files.createDirectories(dir);
      Files.writeString(config, properties());
      run(List.of("kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(), "-c", config.toString(),
          "--standalone"), true);
    }
    process = run(List.of("kafka.Kafka", config.toString()), false);
    awaitListening(Duration.ofSeconds(60));
    return this;
  }

  /** Stops the broker hard, as a crash or a network partition would look to clients. */
  public synchronized void stop() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
      process = null;
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }

  private String properties() {
    List<String> lines = new ArrayList<>(List.of(
        "process.roles=broker,controller",
        "node.id=1",
        "controller.quorum.bootstrap.servers=127.0.0.1:" + controllerPort,
        "controller.listener.names=CONTROLLER",
        "log.dirs=" + dir.resolve("logs"),
        "num.partitions=3",
        "offsets.topic.replication.factor=1",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "group.initial.rebalance.delay.ms=0"));
    if (secured == null) {
      lines.addAll(List.of(
          "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
          "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
          "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"));
    } else {
      StringBuilder users = new StringBuilder();
      secured.users().forEach((user, password) -> users.append(" user_").append(user).append("=\"").append(password)
          .append("\""));
      lines.addAll(List.of(
          "listeners=SASL_SSL://127.0.0.1:" + port + ",INTERNAL://127.0.0.1:" + internalPort
              + ",CONTROLLER://127.0.0.1:" + controllerPort,
          "advertised.listeners=SASL_SSL://127.0.0.1:" + port + ",INTERNAL://127.0.0.1:" + internalPort,
          "inter.broker.listener.name=INTERNAL",
          "listener.security.protocol.map=SASL_SSL:SASL_SSL,INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT",
          "sasl.enabled.mechanisms=PLAIN",
          "listener.name.sasl_ssl.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule"
              + " required" + users + ";",
          "ssl.keystore.type=PKCS12",
          "ssl.keystore.location=" + secured.keyStore(),
          "ssl.keystore.password=" + secured.keyStorePassword()));
    }
    return String.join("\n", lines) + "\n";
  }

  private Process run(List<String> mainAndArgs, boolean wait) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-cp", System.getProperty("java.class.path")));
    command.addAll(mainAndArgs);
    Process started = BoundProcesses.start(new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("kafka.out").toFile())), false);
    if (wait && (!started.waitFor(120, TimeUnit.SECONDS) || started.exitValue() != 0)) {
      throw new IOException("Kafka storage format failed; see " + dir.resolve("kafka.out"));
    }
    return started;
  }

  private void awaitListening(Duration timeout) throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IOException("Kafka exited with " + process.exitValue() + "; see " + dir.resolve("kafka.out"));
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
        return;
      } catch (IOException notYet) {
        Thread.sleep(200);
      }
    }
    throw new IOException("Kafka did not listen within " + timeout + "; see " + dir.resolve("kafka.out"));
  }
}
