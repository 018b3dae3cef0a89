package io.fleetlens.transport.kafka;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import org.apache.kafka.clients.CommonClientConfigs;

/**
 * A Kafka cluster as every Fleetlens client reaches it: its bootstrap servers and the client
 * security settings (TLS, SASL) read from a properties file, a mounted Secret, so passwords and
 * keys never sit in the app's configuration. The file may set {@code security.protocol} and
 * {@code sasl.*} and {@code ssl.*} keys only; anything else would change delivery guarantees the
 * apps rely on, and is refused with its name. {@link #toString()} shows no values.
 */
public final class KafkaCluster {

  private final String bootstrapServers;
  private final Map<String, String> security;

  private KafkaCluster(String bootstrapServers, Map<String, String> security) {
    this.bootstrapServers = bootstrapServers;
    this.security = Map.copyOf(security);
  }

  /** A cluster reached in plain text, without credentials. */
  public static KafkaCluster plain(String bootstrapServers) {
    return new KafkaCluster(bootstrapServers, Map.of());
  }

  /** A cluster whose client security is in {@code clientPropertiesFile} (empty: none). */
  public static KafkaCluster of(String bootstrapServers, String clientPropertiesFile) {
    if (clientPropertiesFile == null || clientPropertiesFile.isBlank()) {
      return plain(bootstrapServers);
    }
    Properties read = new Properties();
    try (Reader in = Files.newBufferedReader(Path.of(clientPropertiesFile), StandardCharsets.UTF_8)) {
      read.load(in);
    } catch (IOException e) {
      throw new IllegalArgumentException("kafka.client-properties-file: cannot read " + clientPropertiesFile, e);
    }
    Map<String, String> security = new TreeMap<>();
    for (String key : read.stringPropertyNames()) {
      if (!key.equals(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG) && !key.startsWith("sasl.")
          && !key.startsWith("ssl.")) {
        throw new IllegalArgumentException("kafka.client-properties-file: " + clientPropertiesFile + " sets " + key
            + "; only security.protocol, sasl.* and ssl.* may be set there");
      }
      security.put(key, read.getProperty(key).strip());
    }
    return new KafkaCluster(bootstrapServers, security);
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** A client's configuration: {@code settings}, the bootstrap servers and the security settings. */
  public Map<String, Object> config(Map<String, Object> settings) {
    Map<String, Object> config = new HashMap<>(settings);
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.putAll(security);
    return config;
  }

  @Override
  public String toString() {
    return bootstrapServers + (security.isEmpty() ? "" : " (" + security.getOrDefault(
        CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT") + ", " + security.size() + " security settings)");
  }
}
