package io.fleetlens.collector.cri;

import io.fleetlens.core.logs.LogRecord;

/**
 * A record ready to ship, with the offset a restarted reader may resume from once this record and
 * every one before it are safely stored: past this record's last line, but never past the first
 * line of an entry still being joined.
 */
public record AssembledRecord(LogRecord record, long resumeOffset) {
}
