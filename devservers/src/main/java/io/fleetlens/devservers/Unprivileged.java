package io.fleetlens.devservers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.stream.Stream;

/**
 * Servers that refuse to run as root (Elasticsearch, PostgreSQL) run as this unprivileged uid when
 * the tests run as root: their folders must be reachable by it and owned by it.
 */
final class Unprivileged {

  static final int UID = 65534;

  private Unprivileged() {
  }

  static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  /** The command, run as {@link #UID} when this JVM is root. */
  static List<String> command(List<String> command) {
    if (!isRoot()) {
      return command;
    }
    List<String> wrapped = new java.util.ArrayList<>(List.of("setpriv"));
    wrapped.addAll(setprivOptions());
    wrapped.add("--");
    wrapped.addAll(command);
    return wrapped;
  }

  /** The options of {@code setpriv} that switch to {@link #UID}, none when this JVM is not root. */
  static List<String> setprivOptions() {
    return isRoot() ? List.of("--reuid=" + UID, "--regid=" + UID, "--clear-groups") : List.of();
  }

  /** {@code dir}, or a folder under the system temp folder when {@link #UID} could not reach {@code dir}. */
  static Path reachable(Path dir, String name) throws IOException {
    return isRoot() && !reachableByOthers(dir)
        ? Path.of(System.getProperty("java.io.tmpdir"), name + "-" + Integer.toHexString(dir.toAbsolutePath().hashCode()))
        : dir;
  }

  /** True when every folder from the root down to {@code dir} can be entered by other users. */
  static boolean reachableByOthers(Path dir) throws IOException {
    Path existing = dir.toAbsolutePath();
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    for (Path p = existing; p != null; p = p.getParent()) {
      if (!Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
        return false;
      }
    }
    return true;
  }

  /** Hands {@code dir} and everything in it to {@link #UID} when this JVM is root. */
  static void own(Path dir) throws IOException {
    if (!isRoot()) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.toList()) {
        Files.setAttribute(p, "unix:uid", UID);
        Files.setAttribute(p, "unix:gid", UID);
      }
    }
  }
}
