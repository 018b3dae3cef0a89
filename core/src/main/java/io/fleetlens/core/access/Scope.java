package io.fleetlens.core.access;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What a caller may see: the union of its parts, each the clusters and the namespaces whose names
 * match two regular expressions (fully anchored). Data without a namespace (a node's metrics)
 * counts as namespace {@code ""}, seen only by parts whose namespace pattern matches the empty
 * name, such as {@code .*}. {@link #ALL} sees everything.
 */
public record Scope(List<Part> parts) {

  /** One cluster pattern and one namespace pattern. */
  public record Part(String clusters, String namespaces) {

    public Part {
      Pattern.compile(clusters);
      Pattern.compile(namespaces);
    }
  }

  public static final Scope ALL = new Scope(List.of(new Part(".*", ".*")));

  public Scope {
    parts = List.copyOf(parts);
  }

  public boolean isAll() {
    return parts.stream().anyMatch(p -> p.clusters().equals(".*") && p.namespaces().equals(".*"));
  }

  /**
   * Whether this scope may see and manage what {@code owner} owns (a rule group, a receiver): when
   * it sees everything, or when every part of the owner's is one of its own. Patterns are compared
   * as written, not as the sets of names they match, so a team's tokens share what they own when
   * they are given the same tenants.
   */
  public boolean covers(Scope owner) {
    return isAll() || parts.containsAll(owner.parts());
  }

  public boolean sees(String cluster, String namespace) {
    String c = cluster == null ? "" : cluster;
    String n = namespace == null ? "" : namespace;
    return parts.stream().anyMatch(p -> c.matches(p.clusters()) && n.matches(p.namespaces()));
  }
}
