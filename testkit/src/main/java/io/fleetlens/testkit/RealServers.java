package io.fleetlens.testkit;

import java.nio.file.Path;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.testcontainers.DockerClientFactory;

/**
 * JUnit 5 extension that hands tests a real {@link KafkaFixture}, {@link ElasticsearchFixture} and
 * {@link PostgresFixture}.
 * Each server starts once per test JVM, on the first test that asks for it, and stops when the
 * JVM's tests are done. Where a Docker engine answers, the servers run in Testcontainers; elsewhere
 * they run locally: Kafka in this JVM, Elasticsearch from the Maven-resolved distribution,
 * PostgreSQL from the machine's installation. The
 * system property {@code fleetlens.testkit.servers} ({@code local} or {@code containers}) forces
 * one or the other.
 */
public final class RealServers implements ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RealServers.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == KafkaFixture.class || type == ElasticsearchFixture.class || type == PostgresFixture.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    ExtensionContext.Store store = context.getRoot().getStore(NAMESPACE);
    Class<?> type = parameter.getParameter().getType();
    if (type == KafkaFixture.class) {
      return store.getOrComputeIfAbsent(KafkaFixture.class, key -> startKafka(), KafkaFixture.class);
    }
    if (type == PostgresFixture.class) {
      return store.getOrComputeIfAbsent(PostgresFixture.class, key -> startPostgres(), PostgresFixture.class);
    }
    return store.getOrComputeIfAbsent(ElasticsearchFixture.class, key -> startElasticsearch(),
        ElasticsearchFixture.class);
  }

  private static KafkaFixture startKafka() {
    return useContainers() ? ContainerKafka.launch() : LocalKafka.launch(workDir().resolve("kafka"));
  }

  private static PostgresFixture startPostgres() {
    return useContainers() ? ContainerPostgres.launch() : LocalPostgresFixture.launch(workDir().resolve("postgres"));
  }

  private static ElasticsearchFixture startElasticsearch() {
    return useContainers()
        ? ContainerElasticsearch.launch()
        : LocalElasticsearchFixture.launch(workDir().resolve("elasticsearch"));
  }

  static Path workDir() {
    return Path.of("target", "testkit").toAbsolutePath();
  }

  private static boolean useContainers() {
    String choice = System.getProperty("fleetlens.testkit.servers", "auto");
    return switch (choice) {
      case "local" -> false;
      case "containers" -> true;
      default -> dockerConfigured() && DockerClientFactory.instance().isDockerAvailable();
    };
  }

  /** Asks Testcontainers only where an engine could be, which keeps its probing quiet elsewhere. */
  private static boolean dockerConfigured() {
    return System.getenv("DOCKER_HOST") != null
        || java.nio.file.Files.exists(Path.of("/var/run/docker.sock"))
        || java.nio.file.Files.exists(Path.of(System.getProperty("user.home"), ".docker", "run", "docker.sock"));
  }
}
