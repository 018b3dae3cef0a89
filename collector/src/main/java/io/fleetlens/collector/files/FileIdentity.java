package io.fleetlens.collector.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** A file's identity on its node, stable across renames: {@code <device>:<inode>}. */
public final class FileIdentity {

  private FileIdentity() {
  }

  public static String of(Path file) throws IOException {
    Map<String, Object> attributes = Files.readAttributes(file, "unix:dev,ino");
    return attributes.get("dev") + ":" + attributes.get("ino");
  }
}
