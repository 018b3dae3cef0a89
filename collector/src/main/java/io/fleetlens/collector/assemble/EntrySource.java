package io.fleetlens.collector.assemble;

import java.nio.file.Path;

import io.fleetlens.collector.checkpoint.FileProgress;

/** The file a fragment came from, as the assembler needs to know it. */
public interface EntrySource {

  String fileId();

  Path path();

  FileProgress progress();

  /** End offset of the last line handed to the assembler from this file. */
  long processedUpTo();
}
