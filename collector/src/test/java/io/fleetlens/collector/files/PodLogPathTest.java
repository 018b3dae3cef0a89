package io.fleetlens.collector.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import io.fleetlens.core.logs.ContainerRef;

class PodLogPathTest {

  private final Path root = Path.of("/var/log/pods");

  @Test
  void namespacePodUidAndContainerComeFromThePath() {
    Path file = root.resolve("shop_cart-7d9f-x2_0f1e2d3c-aaaa-bbbb-cccc-111122223333/app/0.log");
    PodLogPath.Found found = PodLogPath.parse(root, file).orElseThrow();
    assertThat(found.container()).isEqualTo(
        new ContainerRef("shop", "cart-7d9f-x2", "0f1e2d3c-aaaa-bbbb-cccc-111122223333", "app"));
    assertThat(found.slot()).isEqualTo(file);
    assertThat(found.rotated()).isFalse();
  }

  @Test
  void rotatedCopyBelongsToTheSameSlot() {
    Path file = root.resolve("shop_cart_uid/app/0.log.20261123-101010");
    PodLogPath.Found found = PodLogPath.parse(root, file).orElseThrow();
    assertThat(found.slot()).isEqualTo(root.resolve("shop_cart_uid/app/0.log"));
    assertThat(found.rotated()).isTrue();
  }

  @Test
  void otherFilesAreNotContainerLogs() {
    assertThat(PodLogPath.parse(root, root.resolve("shop_cart_uid/app/0.log.20261123-101010.gz"))).isEmpty();
    assertThat(PodLogPath.parse(root, root.resolve("shop_cart_uid/app/0.log.tmp"))).isEmpty();
    assertThat(PodLogPath.parse(root, root.resolve("shop_cart/app/0.log"))).isEmpty();
    assertThat(PodLogPath.parse(root, root.resolve("shop_cart_uid/0.log"))).isEmpty();
  }
}
