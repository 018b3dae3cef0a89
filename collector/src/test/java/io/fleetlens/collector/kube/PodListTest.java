package io.fleetlens.collector.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.fleetlens.core.pods.Workload;

class PodListTest {

  static byte[] kubeletPods() throws IOException {
    try (InputStream in = PodListTest.class.getResourceAsStream("/kubelet/pods.json")) {
      return in.readAllBytes();
    }
  }

  private static Map<String, KubePod> byName() throws IOException {
    return PodList.parse(kubeletPods()).stream().collect(Collectors.toMap(KubePod::name, Function.identity()));
  }

  @Test
  void namesEachPodsWorkloadAsAPersonWould() throws IOException {
    Map<String, KubePod> pods = byName();
    assertThat(pods.get("cart-7d9f8b6c5-x2kq9").workload()).isEqualTo(new Workload("Deployment", "cart"));
    assertThat(pods.get("orders-db-0").workload()).isEqualTo(new Workload("StatefulSet", "orders-db"));
    assertThat(pods.get("node-exporter-8hj2k").workload()).isEqualTo(new Workload("DaemonSet", "node-exporter"));
    assertThat(pods.get("report-29412345-q7w8e").workload()).isEqualTo(new Workload("CronJob", "report"));
    assertThat(pods.get("noisy-debug").workload()).isEqualTo(new Workload("Pod", "noisy-debug"));
    assertThat(pods.get("web-legacy").workload()).isEqualTo(new Workload("ReplicaSet", "web-legacy-manual"));
  }

  @Test
  void readsLabelsAnnotationsAddressesAndContainersWithResources() throws IOException {
    KubePod cart = byName().get("cart-7d9f8b6c5-x2kq9");
    assertThat(cart.uid()).isEqualTo("4f6c2a10-1b2c-4d3e-8f90-a1b2c3d4e5f6");
    assertThat(cart.namespace()).isEqualTo("shop");
    assertThat(cart.nodeName()).isEqualTo("node-a");
    assertThat(cart.podIp()).isEqualTo("10.244.1.23");
    assertThat(cart.qosClass()).isEqualTo("Burstable");
    assertThat(cart.labels()).containsEntry("app.kubernetes.io/name", "cart");
    assertThat(cart.annotations()).containsEntry("prometheus.io/port", "8080");
    KubePod.KubeContainer app = cart.containers().get(0);
    assertThat(app.name()).isEqualTo("app");
    assertThat(app.containerId()).isEqualTo("a3f1c2d4e5b6a7980112233445566778899aabbccddeeff00112233445566778");
    assertThat(app.requests()).containsEntry("cpu", 0.25).containsEntry("memory", 256.0 * 1024 * 1024);
    assertThat(app.limits()).containsEntry("cpu", 1.0).containsEntry("memory", 512.0 * 1024 * 1024);
    assertThat(app.ports()).containsExactly(8080);
    assertThat(cart.containers()).extracting(KubePod.KubeContainer::name).containsExactly("app", "istio-proxy");
  }

  @Test
  void aBodyThatIsNoPodListIsAnError() {
    assertThatThrownBy(() -> PodList.parse("{\"kind\":\"Status\",\"code\":403}".getBytes()))
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> PodList.parse("<html>".getBytes())).isInstanceOf(IOException.class);
  }

  @Test
  void quantitiesBecomeCoresAndBytes() {
    assertThat(Quantity.parse("250m")).isEqualTo(0.25);
    assertThat(Quantity.parse("1.5")).isEqualTo(1.5);
    assertThat(Quantity.parse("128Mi")).isEqualTo(134_217_728.0);
    assertThat(Quantity.parse("1G")).isEqualTo(1e9);
    assertThat(Quantity.parse("1e3")).isEqualTo(1000.0);
    assertThat(Quantity.parse("100k")).isEqualTo(100_000.0);
    assertThat(Quantity.parse("500000n")).isEqualTo(0.0005);
    assertThatThrownBy(() -> Quantity.parse("lots")).isInstanceOf(IllegalArgumentException.class);
  }
}
