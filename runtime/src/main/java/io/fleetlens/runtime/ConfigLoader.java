package io.fleetlens.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * Reads an app's configuration: the defaults shipped in the app's jar, then the YAML file the user
 * gives, then environment variables. Every key {@code a.b-c} can be set by the variable
 * {@code FLEETLENS_A_B_C}; a list takes a comma-separated value. Unknown keys in the file are an
 * error, so a typo does not pass silently.
 */
public final class ConfigLoader {

  public static final String ENV_PREFIX = "FLEETLENS_";

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .registerModule(new JavaTimeModule())
      .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

  private ConfigLoader() {
  }

  public static <T> T load(Class<T> type, String defaultsResource, Path file, Map<String, String> env) {
    ObjectNode tree = defaults(type, defaultsResource);
    if (file != null) {
      merge(tree, read(file));
    }
    applyEnvironment(tree, "", env);
    try {
      return YAML.treeToValue(tree, type);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("invalid configuration"
          + (file == null ? "" : " in " + file) + ": " + e.getOriginalMessage(), e);
    }
  }

  /** Every key of the defaults with its environment variable, for documentation and checks. */
  public static List<String> environmentVariables(Class<?> type, String defaultsResource) {
    List<String> names = new ArrayList<>();
    collectNames(defaults(type, defaultsResource), "", names);
    return names;
  }

  public static String environmentVariable(String key) {
    return ENV_PREFIX + key.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
  }

  private static ObjectNode defaults(Class<?> type, String resource) {
    try (InputStream in = type.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing configuration defaults " + resource);
      }
      return (ObjectNode) YAML.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode read(Path file) {
    try {
      JsonNode node = YAML.readTree(Files.readString(file));
      if (node == null || node.isMissingNode() || node.isNull()) {
        return YAML.createObjectNode();
      }
      if (!node.isObject()) {
        throw new IllegalArgumentException("configuration file " + file + " must hold a YAML mapping");
      }
      return node;
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read configuration file " + file + ": " + e.getMessage(), e);
    }
  }

  private static void merge(ObjectNode into, JsonNode from) {
    Iterator<Map.Entry<String, JsonNode>> fields = from.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      JsonNode existing = into.get(field.getKey());
      if (existing instanceof ObjectNode target && field.getValue().isObject()) {
        merge(target, field.getValue());
      } else {
        into.set(field.getKey(), field.getValue());
      }
    }
  }

  private static void applyEnvironment(ObjectNode node, String path, Map<String, String> env) {
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
    fields.forEachRemaining(entries::add);
    for (Map.Entry<String, JsonNode> field : entries) {
      String key = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
      if (field.getValue() instanceof ObjectNode child) {
        applyEnvironment(child, key, env);
        continue;
      }
      String value = env.get(environmentVariable(key));
      if (value != null) {
        node.set(field.getKey(), field.getValue().isArray() ? list(value) : TextNode.valueOf(value));
      }
    }
  }

  private static ArrayNode list(String value) {
    ArrayNode array = YAML.createArrayNode();
    for (String item : value.split(",")) {
      if (!item.isBlank()) {
        array.add(item.trim());
      }
    }
    return array;
  }

  private static void collectNames(ObjectNode node, String path, List<String> names) {
    node.fields().forEachRemaining(field -> {
      String key = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
      if (field.getValue() instanceof ObjectNode child) {
        collectNames(child, key, names);
      } else {
        names.add(environmentVariable(key));
      }
    });
  }
}
