package io.fleetlens.collector.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.fleetlens.core.logs.ContainerRef;

class FileFilterTest {

  private static ContainerRef c(String namespace, String pod, String container) {
    return new ContainerRef(namespace, pod, "uid", container);
  }

  @Test
  void excludeGlobsWinOverIncludeGlobs() {
    FileFilter filter = new FileFilter(List.of("*/*/*"), List.of("kube-system/*/*", "*/*/istio-proxy"));
    assertThat(filter.accepts(c("shop", "cart-1", "app"))).isTrue();
    assertThat(filter.accepts(c("kube-system", "coredns-1", "coredns"))).isFalse();
    assertThat(filter.accepts(c("shop", "cart-1", "istio-proxy"))).isFalse();
  }

  @Test
  void includeGlobsNarrowToWhatTheyName() {
    FileFilter filter = new FileFilter(List.of("shop/cart-*/*"), List.of());
    assertThat(filter.accepts(c("shop", "cart-1", "app"))).isTrue();
    assertThat(filter.accepts(c("shop", "web-1", "app"))).isFalse();
  }
}
