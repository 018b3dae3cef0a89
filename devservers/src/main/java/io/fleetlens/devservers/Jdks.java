package io.fleetlens.devservers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/** Finds a JDK 21 or newer to run Elasticsearch with: this JVM's own, else one under /usr/lib/jvm. */
public final class Jdks {

  private static final int MINIMUM = 21;

  private Jdks() {
  }

  public static Path javaHome21Plus() {
    if (Runtime.version().feature() >= MINIMUM) {
      return Path.of(System.getProperty("java.home"));
    }
    return installed().orElseThrow(() -> new IllegalStateException(
        "Elasticsearch needs a JDK " + MINIMUM + "+; set JAVA_HOME to one"));
  }

  private static Optional<Path> installed() {
    Path root = Path.of("/usr/lib/jvm");
    if (!Files.isDirectory(root)) {
      return Optional.empty();
    }
    try (Stream<Path> homes = Files.list(root)) {
      return homes.filter(home -> Files.isExecutable(home.resolve("bin/java")))
          .filter(home -> featureVersion(home) >= MINIMUM)
          .max(Comparator.comparingInt(Jdks::featureVersion));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static int featureVersion(Path home) {
    try {
      for (String line : Files.readAllLines(home.resolve("release"))) {
        if (line.startsWith("JAVA_VERSION=")) {
          String version = line.substring("JAVA_VERSION=".length()).replace("\"", "");
          return Integer.parseInt(version.split("[.+-]")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      return 0;
    }
    return 0;
  }
}
