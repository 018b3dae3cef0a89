package io.fleetlens.collector.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogFileDiscoveryTest {

  @Test
  void findsCurrentAndRotatedFilesThroughSymlinksAndSkipsWhatItCannotRead(@TempDir Path root) throws Exception {
    Path current = write(root.resolve("shop_cart_uid-1/app/0.log"));
    Path rotated = write(root.resolve("shop_cart_uid-1/app/0.log.20261123-101010"));
    write(root.resolve("shop_cart_uid-1/app/0.log.20261123-090909.gz"));
    Path dockerLog = write(root.resolve("../docker/abc-json.log").normalize());
    Files.createDirectories(root.resolve("shop_web_uid-2/nginx"));
    Files.createSymbolicLink(root.resolve("shop_web_uid-2/nginx/0.log"), dockerLog);
    Files.createDirectories(root.resolve("shop_loop_uid-3"));
    Files.createSymbolicLink(root.resolve("shop_loop_uid-3/app"), root.resolve("shop_loop_uid-3"));
    List<Path> unreadable = new ArrayList<>();

    var found = new LogFileDiscovery(root, null, FileFilter.all(), (path, e) -> unreadable.add(path)).scan();

    assertThat(found.keySet()).containsExactlyInAnyOrder(current, rotated, root.resolve("shop_web_uid-2/nginx/0.log"));
    assertThat(found.get(rotated).rotated()).isTrue();
    assertThat(found.get(rotated).slot()).isEqualTo(current);
    assertThat(unreadable).containsExactly(root.resolve("shop_loop_uid-3/app"));
  }

  @Test
  void findsContainerLinksTooAndNamesTheirContainerWithoutTrustingTheCutId(@TempDir Path work) throws Exception {
    Path pods = work.resolve("pods");
    Path links = Files.createDirectories(work.resolve("containers"));
    Path podFile = write(pods.resolve("shop_cart_uid-1/app/0.log"));
    Path dockerFile = write(work.resolve("docker/abc/abc-json.log"));
    String longId = "f".repeat(64);
    Path toPodFile = Files.createSymbolicLink(links.resolve("cart_shop_app-" + longId + ".log"), podFile);
    Path toDocker = Files.createSymbolicLink(links.resolve("web_shop_nginx-proxy-abc.log"), dockerFile);
    Files.createSymbolicLink(links.resolve("gone_shop_app-123.log"), work.resolve("missing.log"));
    Files.writeString(links.resolve("not-a-container-log.log"), "x\n");

    var found = new LogFileDiscovery(pods, links, FileFilter.all(), (path, e) -> { }).scan();

    assertThat(found.keySet()).containsExactlyInAnyOrder(podFile, toPodFile, toDocker).first().isEqualTo(podFile);
    assertThat(found.get(toDocker).container())
        .isEqualTo(new io.fleetlens.core.logs.ContainerRef("shop", "web", "", "nginx-proxy"));
    assertThat(found.get(toDocker).slot()).isEqualTo(toDocker);
    assertThat(found.get(toPodFile).container().name()).isEqualTo("app");
  }

  private static Path write(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.writeString(file, "2026-11-23T10:00:00Z stdout F hello\n");
  }
}
