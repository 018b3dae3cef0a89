package io.fleetlens.devservers;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The Elasticsearch server distribution that Maven resolved
 * ({@code org.elasticsearch.distribution.integ-test-zip:elasticsearch:zip}), unpacked once.
 */
public final class ElasticsearchDistribution {

  public static final String VERSION = "9.5.2";
  public static final String ZIP_PROPERTY = "fleetlens.elasticsearch.zip";

  private ElasticsearchDistribution() {
  }

  /** The zip: the {@value #ZIP_PROPERTY} system property, else the local Maven repository. */
  public static Path zip() {
    String configured = System.getProperty(ZIP_PROPERTY, System.getenv("FLEETLENS_ELASTICSEARCH_ZIP"));
    Path zip = configured != null && !configured.isBlank()
        ? Path.of(configured)
        : Path.of(System.getProperty("user.home"), ".m2", "repository", "org", "elasticsearch",
            "distribution", "integ-test-zip", "elasticsearch", VERSION, "elasticsearch-" + VERSION + ".zip");
    if (!Files.isRegularFile(zip)) {
      throw new IllegalStateException("Elasticsearch distribution not found at " + zip
          + "; build with ./mvnw so Maven resolves it, or set " + ZIP_PROPERTY);
    }
    return zip;
  }

  /** Unpacks the zip under {@code parent} unless already there; returns the Elasticsearch home. */
  public static Path unpack(Path zip, Path parent) throws IOException {
    Path home = parent.resolve("elasticsearch-" + VERSION);
    Path marker = home.resolve(".unpacked");
    if (Files.exists(marker)) {
      return home;
    }
    Files.createDirectories(parent);
    try (ZipFile archive = new ZipFile(zip.toFile())) {
      Enumeration<? extends ZipEntry> entries = archive.entries();
      while (entries.hasMoreElements()) {
        extract(archive, entries.nextElement(), parent);
      }
    }
    Files.createFile(marker);
    return home;
  }

  private static void extract(ZipFile archive, ZipEntry entry, Path parent) throws IOException {
    Path target = parent.resolve(entry.getName()).normalize();
    if (!target.startsWith(parent)) {
      throw new IOException("zip entry outside the target folder: " + entry.getName());
    }
    if (entry.isDirectory()) {
      Files.createDirectories(target);
      return;
    }
    Files.createDirectories(target.getParent());
    try (InputStream in = archive.getInputStream(entry)) {
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }
    boolean launcher = target.getParent().getFileName().toString().equals("bin")
        && !target.getFileName().toString().contains(".");
    target.toFile().setReadable(true, false);
    if (launcher) {
      target.toFile().setExecutable(true, false);
    }
  }
}
