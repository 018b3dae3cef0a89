package io.fleetlens.core.logs;

import java.util.Objects;

/**
 * Where a record starts: the identity of the file it was read from (stable across renames, such as
 * the device and inode) and the byte offset of its first line in that file.
 */
public record LogOrigin(String fileId, long offset) {

  public LogOrigin {
    Objects.requireNonNull(fileId, "fileId");
    if (offset < 0) {
      throw new IllegalArgumentException("offset must not be negative: " + offset);
    }
  }
}
