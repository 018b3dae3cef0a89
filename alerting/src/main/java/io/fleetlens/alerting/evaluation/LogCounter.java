package io.fleetlens.alerting.evaluation;

import java.util.Map;

import io.fleetlens.core.access.Scope;

/** Counts the log lines that {@code scope} may see matching a log rule's filters in {@code (fromMs, toMs]}. */
@FunctionalInterface
public interface LogCounter {

  long count(Scope scope, Map<String, String> filters, long fromMs, long toMs) throws Exception;
}
