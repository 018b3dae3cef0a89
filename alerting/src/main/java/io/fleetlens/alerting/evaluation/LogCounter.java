package io.fleetlens.alerting.evaluation;

import java.util.Map;

/** Counts the log lines matching a log rule's filters in {@code (fromMs, toMs]}. */
@FunctionalInterface
public interface LogCounter {

  long count(Map<String, String> filters, long fromMs, long toMs) throws Exception;
}
