package io.fleetlens.collector.assemble;

import java.nio.file.Path;

/** Told about input that could not be taken as it was; the reasons are metric tag values. */
@FunctionalInterface
public interface BadInput {

  String INVALID_UTF8 = "invalid_utf8";
  String TRUNCATED = "truncated";
  String NUL_BYTES = "nul_bytes";

  void report(String reason, Path file, long offset);
}
