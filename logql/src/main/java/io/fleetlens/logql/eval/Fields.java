package io.fleetlens.logql.eval;

import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fleetlens.logql.parse.Expr;

/**
 * The parsers that read labels out of a line: {@code json}, {@code logfmt}, {@code unpack}. A key
 * becomes a label name with every character other than a letter, digit or {@code _} replaced by
 * {@code _}; a name the stream already has gets {@code _extracted} appended, as Loki does.
 */
final class Fields {

  private static final ObjectMapper JSON = new ObjectMapper();

  private Fields() {
  }

  static String sanitize(String key) {
    return io.fleetlens.core.logs.StreamLabels.name(key);
  }

  static void put(Map<String, String> labels, Set<String> stream, String name, String value) {
    labels.put(stream.contains(name) ? name + "_extracted" : name, value);
  }

  // ---- json

  static void json(String line, List<Expr.Extraction> extractions, Map<String, String> labels, Set<String> stream) {
    JsonNode root;
    try {
      root = JSON.readTree(line);
    } catch (IOException e) {
      Pipeline.error(labels, Pipeline.JSON_ERROR, firstLine(e.getMessage()));
      return;
    }
    if (root == null || !root.isObject()) {
      Pipeline.error(labels, Pipeline.JSON_ERROR, "not a JSON object");
      return;
    }
    if (extractions.isEmpty()) {
      flatten("", root, labels, stream);
      return;
    }
    for (Expr.Extraction x : extractions) {
      JsonNode found = path(root, x.path());
      if (found != null && !found.isMissingNode()) {
        put(labels, stream, x.label(), text(found));
      }
    }
  }

  private static void flatten(String prefix, JsonNode node, Map<String, String> labels, Set<String> stream) {
    Iterator<Map.Entry<String, JsonNode>> fields = node.properties().iterator();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      String name = prefix + sanitize(f.getKey());
      JsonNode v = f.getValue();
      if (v.isObject()) {
        flatten(name + "_", v, labels, stream);
      } else if (!v.isArray()) {
        put(labels, stream, name, text(v));
      }
    }
  }

  private static String text(JsonNode v) {
    if (v.isNull()) {
      return "";
    }
    return v.isValueNode() ? v.asText() : v.toString();
  }

  /** {@code a.b}, {@code a[0]}, {@code a["b c"]}, {@code ["a"].b}: Loki's json parameter paths. */
  static JsonNode path(JsonNode root, String path) {
    JsonNode at = root;
    int i = 0;
    while (i < path.length() && at != null) {
      char c = path.charAt(i);
      if (c == '.') {
        i++;
      } else if (c == '[') {
        int close = path.indexOf(']', i);
        if (close < 0) {
          return null;
        }
        String inside = path.substring(i + 1, close).strip();
        i = close + 1;
        if (inside.startsWith("\"") && inside.endsWith("\"") && inside.length() >= 2) {
          at = at.get(inside.substring(1, inside.length() - 1));
        } else if (inside.matches("\\d+")) {
          at = at.get(Integer.parseInt(inside));
        } else {
          return null;
        }
      } else {
        int end = i;
        while (end < path.length() && path.charAt(end) != '.' && path.charAt(end) != '[') {
          end++;
        }
        at = at.get(path.substring(i, end));
        i = end;
      }
    }
    return at;
  }

  // ---- logfmt

  static void logfmt(String line, Expr.Logfmt spec, Map<String, String> labels, Set<String> stream) {
    Set<String> wanted = spec.extractions().isEmpty() ? null
        : new java.util.HashSet<>(spec.extractions().stream().map(Expr.Extraction::path).toList());
    int i = 0;
    int n = line.length();
    while (i < n) {
      while (i < n && line.charAt(i) <= ' ') {
        i++;
      }
      if (i >= n) {
        break;
      }
      int keyStart = i;
      while (i < n && line.charAt(i) > ' ' && line.charAt(i) != '=' && line.charAt(i) != '"') {
        i++;
      }
      String key = line.substring(keyStart, i);
      String value = "";
      if (i < n && line.charAt(i) == '"' || key.isEmpty() && i < n && line.charAt(i) == '=') {
        if (spec.strict()) {
          Pipeline.error(labels, Pipeline.LOGFMT_ERROR, "logfmt syntax error at pos " + (i + 1)
              + " : unexpected '" + line.charAt(i) + "'");
          return;
        }
        while (i < n && line.charAt(i) > ' ') {
          i++;
        }
        continue;
      }
      if (i < n && line.charAt(i) == '=') {
        i++;
        if (i < n && line.charAt(i) == '"') {
          StringBuilder quoted = new StringBuilder();
          i++;
          boolean closed = false;
          while (i < n) {
            char c = line.charAt(i++);
            if (c == '\\' && i < n) {
              char e = line.charAt(i++);
              quoted.append(e == 'n' ? '\n' : e == 't' ? '\t' : e);
            } else if (c == '"') {
              closed = true;
              break;
            } else {
              quoted.append(c);
            }
          }
          if (!closed && spec.strict()) {
            Pipeline.error(labels, Pipeline.LOGFMT_ERROR, "logfmt syntax error at pos " + (n + 1)
                + " : unterminated quoted value");
            return;
          }
          value = quoted.toString();
        } else {
          int valueStart = i;
          while (i < n && line.charAt(i) > ' ') {
            i++;
          }
          value = line.substring(valueStart, i);
        }
      }
      if (value.isEmpty() && !spec.keepEmpty()) {
        continue;
      }
      if (wanted == null) {
        put(labels, stream, sanitize(key), value);
      } else if (wanted.contains(key)) {
        for (Expr.Extraction x : spec.extractions()) {
          if (x.path().equals(key)) {
            put(labels, stream, x.label(), value);
          }
        }
      }
    }
  }

  // ---- unpack

  /** The JSON object's string fields as labels; its {@code _entry}, if any, is the line from now on. */
  static String unpack(String line, Map<String, String> labels, Set<String> stream) {
    JsonNode root;
    try {
      root = JSON.readTree(line);
    } catch (IOException e) {
      Pipeline.error(labels, Pipeline.JSON_ERROR, firstLine(e.getMessage()));
      return line;
    }
    if (root == null || !root.isObject()) {
      Pipeline.error(labels, Pipeline.JSON_ERROR, "not a JSON object");
      return line;
    }
    String entry = line;
    Iterator<Map.Entry<String, JsonNode>> fields = root.properties().iterator();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      if (!f.getValue().isTextual()) {
        continue;
      }
      if (f.getKey().equals("_entry")) {
        entry = f.getValue().asText();
      } else {
        put(labels, stream, sanitize(f.getKey()), f.getValue().asText());
      }
    }
    return entry;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
