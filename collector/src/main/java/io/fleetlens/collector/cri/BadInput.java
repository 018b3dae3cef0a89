package io.fleetlens.collector.cri;

import java.nio.file.Path;

/** Told about input that could not be taken as it was; the reasons are metric tag values. */
@FunctionalInterface
public interface BadInput {

  String NOT_CRI = "not_cri";
  String INVALID_UTF8 = "invalid_utf8";
  String TRUNCATED = "truncated";

  void report(String reason, Path file, long offset);
}
