package io.fleetlens.core.logs;

/** One record found by a search, with the id it is stored under. */
public record LogHit(String id, LogRecord record) {
}
