package io.fleetlens.collector.format;

import java.time.Instant;

import io.fleetlens.collector.files.Line;
import io.fleetlens.core.logs.LogStream;

/**
 * What a container runtime wrote in one line of its log file: a piece of a log entry on one stream.
 * A {@code partial} fragment continues in the next fragment of the same stream.
 */
public record Fragment(Instant timestamp, LogStream stream, boolean partial, byte[] message, Line line) {
}
