package io.fleetlens.core.metrics;

import java.util.Collection;
import java.util.SortedSet;
import java.util.TreeSet;

/** Label names and values read off the label sets of some series, as stores answer them without an index. */
public final class LabelSets {

  private LabelSets() {
  }

  /** Every label name of the series, {@code __name__} included, sorted. */
  public static SortedSet<String> names(Collection<Labels> series) {
    SortedSet<String> names = new TreeSet<>();
    series.forEach(labels -> labels.forEach((name, value) -> names.add(name)));
    return names;
  }

  /** The first {@code limit} (0: all) of the values label {@code name} takes across the series, sorted. */
  public static SortedSet<String> values(String name, Collection<Labels> series, int limit) {
    TreeSet<String> values = new TreeSet<>();
    for (Labels labels : series) {
      String value = labels.get(name);
      if (!value.isEmpty()) {
        values.add(value);
        if (limit > 0 && values.size() > limit) {
          values.pollLast();
        }
      }
    }
    return values;
  }
}
