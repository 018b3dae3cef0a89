package io.fleetlens.runtime;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** Named checks of what an app depends on; the app is ready when every check passes. */
public final class Readiness {

  private final Map<String, BooleanSupplier> checks = new LinkedHashMap<>();

  public synchronized Readiness check(String name, BooleanSupplier check) {
    checks.put(name, check);
    return this;
  }

  /** Runs every check now; a check that throws has failed. */
  public synchronized Map<String, Boolean> evaluate() {
    Map<String, Boolean> results = new LinkedHashMap<>();
    checks.forEach((name, check) -> results.put(name, passes(check)));
    return results;
  }

  private static boolean passes(BooleanSupplier check) {
    try {
      return check.getAsBoolean();
    } catch (RuntimeException e) {
      return false;
    }
  }
}
