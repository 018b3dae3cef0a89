package io.fleetlens.core.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * A set of label pairs sorted by name, as Prometheus identifies a series; {@code __name__} holds
 * the metric name. Immutable; equal when the pairs are equal.
 */
public final class Labels implements Comparable<Labels> {

  public static final String METRIC_NAME = "__name__";
  public static final Labels EMPTY = new Labels(new String[0], new String[0]);

  private final String[] names;
  private final String[] values;
  private int hash;
  /** {@link #withoutMetricName()}, kept once made: the engine asks it of a series at every step. */
  private Labels nameless;

  private Labels(String[] names, String[] values) {
    this.names = names;
    this.values = values;
  }

  /** Labels from a map; empty values are left out, as Prometheus treats them as absent. */
  public static Labels of(Map<String, String> map) {
    TreeMap<String, String> sorted = new TreeMap<>();
    map.forEach((k, v) -> {
      if (v != null && !v.isEmpty()) {
        sorted.put(k, v);
      }
    });
    String[] n = new String[sorted.size()];
    String[] v = new String[sorted.size()];
    int i = 0;
    for (Map.Entry<String, String> e : sorted.entrySet()) {
      n[i] = e.getKey();
      v[i++] = e.getValue();
    }
    return new Labels(n, v);
  }

  /** Labels from name, value, name, value, ... */
  public static Labels of(String... pairs) {
    TreeMap<String, String> map = new TreeMap<>();
    for (int i = 0; i + 1 < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return of(map);
  }

  public String get(String name) {
    int i = Arrays.binarySearch(names, name);
    return i >= 0 ? values[i] : "";
  }

  public boolean has(String name) {
    return Arrays.binarySearch(names, name) >= 0;
  }

  public String metricName() {
    return get(METRIC_NAME);
  }

  public int size() {
    return names.length;
  }

  public boolean isEmpty() {
    return names.length == 0;
  }

  public String name(int i) {
    return names[i];
  }

  public String value(int i) {
    return values[i];
  }

  public void forEach(BiConsumer<String, String> action) {
    for (int i = 0; i < names.length; i++) {
      action.accept(names[i], values[i]);
    }
  }

  public Map<String, String> toMap() {
    TreeMap<String, String> map = new TreeMap<>();
    forEach(map::put);
    return map;
  }

  public Labels without(Collection<String> drop) {
    return filter(drop, false);
  }

  public Labels keep(Collection<String> keep) {
    return filter(keep, true);
  }

  private Labels filter(Collection<String> set, boolean keep) {
    List<Integer> kept = new ArrayList<>();
    for (int i = 0; i < names.length; i++) {
      if (set.contains(names[i]) == keep) {
        kept.add(i);
      }
    }
    if (kept.size() == names.length) {
      return this;
    }
    String[] n = new String[kept.size()];
    String[] v = new String[kept.size()];
    for (int j = 0; j < n.length; j++) {
      n[j] = names[kept.get(j)];
      v[j] = values[kept.get(j)];
    }
    return new Labels(n, v);
  }

  public Labels withoutMetricName() {
    Labels n = nameless;
    if (n == null) {
      n = has(METRIC_NAME) ? without(Set.of(METRIC_NAME)) : this;
      nameless = n;
    }
    return n;
  }

  /** These labels with {@code name} set to {@code value} (removed when the value is empty). */
  public Labels with(String name, String value) {
    Map<String, String> map = toMap();
    if (value == null || value.isEmpty()) {
      map.remove(name);
    } else {
      map.put(name, value);
    }
    return of(map);
  }

  @Override
  public boolean equals(Object o) {
    return o == this || o instanceof Labels other && hashCode() == other.hashCode() && Arrays.equals(names, other.names)
        && Arrays.equals(values, other.values);
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = 31 * Arrays.hashCode(names) + Arrays.hashCode(values);
      hash = h;
    }
    return h;
  }

  @Override
  public int compareTo(Labels o) {
    int n = Math.min(names.length, o.names.length);
    for (int i = 0; i < n; i++) {
      int c = names[i].compareTo(o.names[i]);
      if (c != 0) {
        return c;
      }
      c = values[i].compareTo(o.values[i]);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(names.length, o.names.length);
  }

  /** {@code {a="1", b="2"}}, with the metric name in front when there is one. */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder();
    String name = metricName();
    s.append(name).append('{');
    boolean first = true;
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(METRIC_NAME)) {
        continue;
      }
      if (!first) {
        s.append(", ");
      }
      first = false;
      s.append(names[i]).append("=\"").append(values[i].replace("\\", "\\\\").replace("\"", "\\\"")
          .replace("\n", "\\n")).append('"');
    }
    return s.append('}').toString();
  }
}
