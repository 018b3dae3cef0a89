package io.fleetlens.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/** Writes container log files the way kubelet lays them out, in the CRI format. */
final class PodLogs {

  private final Path root;

  PodLogs(Path root) {
    this.root = root;
  }

  Path root() {
    return root;
  }

  Path file(String namespace, String pod, String container) {
    return root.resolve(namespace + "_" + pod + "_uid-" + pod).resolve(container).resolve("0.log");
  }

  /** Appends one CRI line: {@code <time> <stream> <F|P> <message>}. */
  void cri(String namespace, String pod, String container, String stream, boolean partial, String message) {
    cri(namespace, pod, container, stream, partial, message, Instant.now());
  }

  /** Appends one CRI line that says it was written at {@code time}. */
  void cri(String namespace, String pod, String container, String stream, boolean partial, String message,
      Instant time) {
    raw(namespace, pod, container, (time + " " + stream + " " + (partial ? "P" : "F") + " " + message + "\n")
        .getBytes(StandardCharsets.UTF_8));
  }

  void line(String namespace, String pod, String container, String stream, String message) {
    cri(namespace, pod, container, stream, false, message);
  }

  /** Appends bytes as they are, for lines that are not well formed. */
  void raw(String namespace, String pod, String container, byte[] bytes) {
    Path file = file(namespace, pod, container);
    try {
      Files.createDirectories(file.getParent());
      Files.write(file, bytes, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
