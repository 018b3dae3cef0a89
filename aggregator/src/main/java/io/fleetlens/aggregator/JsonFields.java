package io.fleetlens.aggregator;

import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The fields of a message that is one JSON object, flattened for the index: nested objects become
 * dotted keys ({@code {"http":{"path":"/"}}} gives {@code http.path}), scalars and arrays become
 * their text. Bounded, because one line can hold anything: at most {@link #MAX_FIELDS} keys, four
 * levels deep, values cut at {@link #MAX_VALUE_CHARS} characters. Any other message has no fields.
 */
public final class JsonFields {

  static final int MAX_FIELDS = 64;
  static final int MAX_VALUE_CHARS = 4_096;
  private static final int MAX_DEPTH = 4;
  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonFields() {
  }

  public static Map<String, String> of(String message) {
    String trimmed = message.strip();
    if (!trimmed.startsWith("{") || !trimmed.endsWith("}")) {
      return Map.of();
    }
    JsonNode root;
    try {
      root = JSON.readTree(trimmed);
    } catch (IOException e) {
      return Map.of();
    }
    if (root == null || !root.isObject()) {
      return Map.of();
    }
    Map<String, String> fields = new LinkedHashMap<>();
    flatten("", root, 1, fields);
    return fields;
  }

  private static void flatten(String prefix, JsonNode object, int depth, Map<String, String> into) {
    Iterator<Map.Entry<String, JsonNode>> it = object.fields();
    while (it.hasNext() && into.size() < MAX_FIELDS) {
      Map.Entry<String, JsonNode> field = it.next();
      String key = prefix + field.getKey();
      JsonNode value = field.getValue();
      if (key.isBlank() || value.isNull()) {
        continue;
      }
      if (value.isObject() && depth < MAX_DEPTH) {
        flatten(key + ".", value, depth + 1, into);
      } else {
        String text = value.isValueNode() ? value.asText() : value.toString();
        into.putIfAbsent(key, text.length() > MAX_VALUE_CHARS ? text.substring(0, MAX_VALUE_CHARS) : text);
      }
    }
  }
}
