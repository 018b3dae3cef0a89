package io.fleetlens.access;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A part of the fleet an identity may see: the clusters and namespaces whose names match these
 * regular expressions (fully anchored, as PromQL's {@code =~}); {@code .*} for all.
 */
public record Tenant(String clusters, String namespaces) {

  public Tenant {
    check("clusters", clusters);
    check("namespaces", namespaces);
  }

  private static void check(String field, String regex) {
    if (regex == null || regex.isEmpty()) {
      throw new IllegalArgumentException(field + ": a regular expression is required (.* for all)");
    }
    try {
      Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(field + ": not a regular expression: " + e.getDescription());
    }
  }

  public boolean sees(String cluster, String namespace) {
    return (cluster == null ? "" : cluster).matches(clusters)
        && (namespace == null ? "" : namespace).matches(namespaces);
  }
}
