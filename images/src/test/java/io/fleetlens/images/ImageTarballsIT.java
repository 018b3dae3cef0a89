package io.fleetlens.images;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fleetlens.devservers.FreePorts;

/**
 * The image tarballs the build made (no Docker daemon anywhere): each one's configuration (tag,
 * user, entrypoint, exposed port, heap sized from the container's memory) and contents (the
 * unprivileged user, the C library, the JRE, the app), and the query API actually starting from
 * its image's files as uid 10001.
 */
class ImageTarballsIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path IMAGES = Path.of(System.getProperty("fleetlens.images", "target/images"));
  private static final String VERSION = System.getProperty("fleetlens.version", "0.1.0-SNAPSHOT");

  @Test
  void everyImageRunsItsAppAsAnUnprivilegedUserWithTheHeapSizedFromTheContainer(@TempDir Path work)
      throws Exception {
    for (ImageBuilder.App app : ImageBuilder.APPS) {
      Path tar = IMAGES.resolve(app.module() + ".tar");
      assertThat(tar).as("built by the package phase").exists();
      Path dir = unpack(tar, Files.createDirectories(work.resolve(app.module())));
      JsonNode manifest = JSON.readTree(dir.resolve("manifest.json").toFile()).get(0);
      assertThat(manifest.path("RepoTags").get(0).asText()).isEqualTo("fleetlens/" + app.module() + ":" + VERSION);
      JsonNode config = JSON.readTree(dir.resolve(manifest.path("Config").asText()).toFile()).path("config");
      assertThat(config.path("User").asText()).isEqualTo("10001:10001");
      List<String> entrypoint = new ArrayList<>();
      config.path("Entrypoint").forEach(e -> entrypoint.add(e.asText()));
      assertThat(entrypoint).startsWith("/opt/java/bin/java").contains("-XX:MaxRAMPercentage=75")
          .endsWith("-jar", "/app/fleetlens-" + app.module() + "-" + VERSION + ".jar");
      assertThat(config.path("ExposedPorts").has(app.port() + "/tcp")).isTrue();
      assertThat(config.path("ExposedPorts").size()).isEqualTo(1);

      Path rootfs = Files.createDirectories(dir.resolve("rootfs"));
      for (JsonNode layer : manifest.path("Layers")) {
        run(List.of("tar", "--warning=no-unknown-keyword", "-xzf", dir.resolve(layer.asText()).toString(), "-C",
            rootfs.toString()));
      }
      assertThat(Files.readString(rootfs.resolve("etc/passwd"))).contains("fleetlens:x:10001:10001:");
      assertThat(rootfs.resolve("lib/x86_64-linux-gnu/libc.so.6")).exists();
      assertThat(rootfs.resolve("lib64/ld-linux-x86-64.so.2")).exists();
      assertThat(rootfs.resolve("opt/java/lib/server/libjvm.so")).exists();
      assertThat(rootfs.resolve("app/fleetlens-" + app.module() + "-" + VERSION + ".jar")).exists();
      assertThat(run(List.of("find", rootfs.toString(), "-perm", "/6000", "-type", "f")).strip())
          .as("no setuid or setgid file").isEmpty();
    }
  }

  @Test
  void theQueryApiStartsFromItsImageFilesAsUid10001(@TempDir Path work) throws Exception {
    Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "chroot needs root");
    Path dir = unpack(IMAGES.resolve("query-api.tar"), work);
    JsonNode manifest = JSON.readTree(dir.resolve("manifest.json").toFile()).get(0);
    Path rootfs = Files.createDirectories(dir.resolve("rootfs"));
    for (JsonNode layer : manifest.path("Layers")) {
      run(List.of("tar", "--warning=no-unknown-keyword", "-xzf", dir.resolve(layer.asText()).toString(), "-C",
          rootfs.toString()));
    }
    int port = FreePorts.next();
    Files.writeString(rootfs.resolve("tmp/query-api.yaml"), String.join("\n",
        "elasticsearch:", "  hosts: [\"http://127.0.0.1:9\"]",
        "database:", "  jdbc-url: \"jdbc:h2:file:/tmp/db;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH\"",
        "alerting:", "  enabled: false",
        "http:", "  host: 127.0.0.1", "  port: " + port, ""));
    JsonNode config = JSON.readTree(dir.resolve(manifest.path("Config").asText()).toFile()).path("config");
    List<String> command = new ArrayList<>(List.of("chroot", "--userspec=10001:10001", rootfs.toString()));
    config.path("Entrypoint").forEach(e -> command.add(e.asText()));
    command.addAll(List.of("--config", "/tmp/query-api.yaml"));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(work.resolve("query-api.out").toFile());
    // A chroot has no /proc, so the loader cannot resolve the launcher's $ORIGIN; a container has one.
    builder.environment().put("LD_LIBRARY_PATH", "/opt/java/lib");
    Process process = builder.start();
    try {
      HttpClient http = HttpClient.newHttpClient();
      Instant deadline = Instant.now().plusSeconds(60);
      while (true) {
        try {
          HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
              .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
          assertThat(r.statusCode()).isEqualTo(200);
          break;
        } catch (IOException notYet) {
          assertThat(process.isAlive()).as(Files.readString(work.resolve("query-api.out"))).isTrue();
          assertThat(Instant.now()).as("started within 60 s").isBefore(deadline);
          Thread.sleep(300);
        }
      }
      // chroot replaces itself with the JVM, so the process started is the app's
      assertThat(run(List.of("ps", "-o", "uid=", "-p", Long.toString(process.pid()))).strip()).isEqualTo("10001");
    } finally {
      process.destroy();
      process.waitFor(20, TimeUnit.SECONDS);
    }
    // the first admin token, made as the chart's notes say, with the tokens CLI inside the image
    ProcessBuilder cli = new ProcessBuilder("chroot", "--userspec=10001:10001", rootfs.toString(),
        "/opt/java/bin/java", "-cp", "/app/*", "io.fleetlens.query.TokensCli", "--config", "/tmp/query-api.yaml",
        "create", "ops-admin", "admin").redirectErrorStream(true);
    cli.environment().put("LD_LIBRARY_PATH", "/opt/java/lib");
    Process tokens = cli.start();
    String printed;
    try (InputStream in = tokens.getInputStream()) {
      printed = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    assertThat(tokens.waitFor()).as(printed).isZero();
    assertThat(printed).containsPattern("flt_[A-Za-z0-9_-]{43}");
  }

  private static Path unpack(Path tar, Path into) throws Exception {
    run(List.of("tar", "-xf", tar.toString(), "-C", into.toString()));
    return into;
  }

  private static String run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out;
    try (InputStream in = p.getInputStream()) {
      out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(p.waitFor()).as(String.join(" ", command) + ": " + out).isZero();
    return out;
  }
}
