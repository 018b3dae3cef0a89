package io.fleetlens.collector.assemble;

import java.util.List;

import io.fleetlens.core.logs.LogRecord;

/**
 * A record ready to ship, and for each file it was read from, the offset that file's checkpoint may
 * reach once Kafka holds this record and everything sent before it. An entry whose lines span a
 * rotation has a mark in both files.
 */
public record AssembledRecord(LogRecord record, List<Mark> marks) {

  public record Mark(EntrySource source, long resumeOffset) {
  }
}
