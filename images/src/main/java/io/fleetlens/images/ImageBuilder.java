package io.fleetlens.images;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.Port;

/**
 * Builds the three apps' OCI images as tarballs, with no Docker daemon and no base image pulled:
 * {@code java ImageBuilder <repository root> <output folder> <version>}. Each image is four
 * layers, from the least to the most often changed: the C library from the machine's own Debian
 * package and a passwd with the unprivileged user; a jlinked JRE; the app's libraries; the app's
 * jar. The images run as uid 10001 and size the heap from the container's memory limit.
 */
public final class ImageBuilder {

  /** One app's image: its module, main jar, listening port. */
  record App(String module, int port) {
  }

  static final List<App> APPS = List.of(new App("collector", 9464), new App("aggregator", 9465),
      new App("query-api", 8080));
  static final String USER = "10001:10001";
  /** The JVM's options in every image: the heap from the container's memory limit, fail fast on OOM. */
  static final List<String> JVM_OPTIONS = List.of("-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError",
      "--enable-native-access=ALL-UNNAMED");

  private ImageBuilder() {
  }

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]).toAbsolutePath().normalize();
    Path out = Files.createDirectories(Path.of(args[1]).toAbsolutePath());
    String version = args[2];
    BaseLayers base = new BaseLayers(out.resolve("work"));
    for (App app : APPS) {
      Path target = root.resolve(app.module()).resolve("target");
      String jar = "fleetlens-" + app.module() + "-" + version + ".jar";
      Path image = out.resolve(app.module() + ".tar");
      Jib.fromScratch()
          .setFileEntriesLayers(base.debian(), base.jre(),
              AppLayers.libraries(target.resolve("lib")), AppLayers.jar(target.resolve(jar)))
          .setEntrypoint(entrypoint(jar))
          .setUser(USER)
          .setWorkingDirectory(com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath.get("/app"))
          .addExposedPort(Port.tcp(app.port()))
          .addLabel("org.opencontainers.image.title", "fleetlens-" + app.module())
          .addLabel("org.opencontainers.image.version", version)
          .setCreationTime(Instant.EPOCH)
          .containerize(Containerizer.to(TarImage.at(image).named("fleetlens/" + app.module() + ":" + version))
              .setBaseImageLayersCache(out.resolve("cache"))
              .setApplicationLayersCache(out.resolve("cache")));
      System.out.println("built " + image + " (" + Files.size(image) / (1024 * 1024) + " MiB)");
    }
  }

  static List<String> entrypoint(String jar) {
    List<String> command = new java.util.ArrayList<>(List.of("/opt/java/bin/java"));
    command.addAll(JVM_OPTIONS);
    command.addAll(List.of("-jar", "/app/" + jar));
    return command;
  }
}
