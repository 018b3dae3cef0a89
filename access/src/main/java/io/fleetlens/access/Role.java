package io.fleetlens.access;

import java.util.Locale;

/** What an identity may do; {@code admin} may do everything. */
public enum Role {
  LOGS_READ("logs:read"), METRICS_READ("metrics:read"), COST_READ("cost:read"), RULES_WRITE("rules:write"),
  ADMIN("admin");

  private final String wire;

  Role(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  /** The role named {@code logs:read} and so on; an unknown name is an IllegalArgumentException naming it. */
  public static Role of(String name) {
    for (Role r : values()) {
      if (r.wire.equals(name.toLowerCase(Locale.ROOT))) {
        return r;
      }
    }
    throw new IllegalArgumentException("unknown role " + name + " (logs:read, metrics:read, cost:read, rules:write,"
        + " admin)");
  }
}
