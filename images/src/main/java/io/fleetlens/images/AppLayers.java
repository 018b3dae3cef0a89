package io.fleetlens.images;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;

/** An app's layers: its libraries in {@code /app/lib} (its jar's manifest names them), then its jar. */
final class AppLayers {

  private AppLayers() {
  }

  static FileEntriesLayer libraries(Path lib) throws IOException {
    FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName("libraries");
    try (Stream<Path> jars = Files.list(lib)) {
      for (Path jar : jars.sorted().toList()) {
        layer.addEntry(jar, AbsoluteUnixPath.get("/app/lib/" + jar.getFileName()));
      }
    }
    return layer.build();
  }

  static FileEntriesLayer jar(Path jar) {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: build the app first (./mvnw package)");
    }
    return FileEntriesLayer.builder().setName("app")
        .addEntry(jar, AbsoluteUnixPath.get("/app/" + jar.getFileName())).build();
  }
}
