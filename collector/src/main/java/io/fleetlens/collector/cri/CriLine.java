package io.fleetlens.collector.cri;

import java.time.Instant;

import io.fleetlens.core.logs.LogStream;

/**
 * One line of a CRI container log: {@code <RFC 3339 time> <stream> <P|F> <message>}. A {@code P}
 * (partial) line continues in the next line of the same stream, up to the {@code F} (full) one.
 */
public record CriLine(Instant timestamp, LogStream stream, boolean partial, byte[] message, long start, long end,
    boolean truncated) {
}
