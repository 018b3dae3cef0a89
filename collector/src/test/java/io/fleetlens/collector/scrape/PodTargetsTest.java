package io.fleetlens.collector.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fleetlens.collector.kube.KubePod;
import io.fleetlens.collector.kube.KubePod.KubeContainer;

class PodTargetsTest {

  private static KubePod pod(String name, String ip, Map<String, String> annotations, Integer... ports) {
    return new KubePod("uid-" + name, "shop", name, "node-a", ip, "Running", Map.of(), annotations,
        new io.fleetlens.core.pods.Workload("Deployment", name), "Burstable",
        List.of(new KubeContainer("app", "id", Map.of(), Map.of(), List.of(ports))));
  }

  @Test
  void annotatedPodsBecomeTargetsLabelledAsPods() {
    List<ScrapeTarget> targets = PodTargets.of(List.of(
        pod("cart", "10.244.1.23", Map.of("prometheus.io/scrape", "true", "prometheus.io/port", "8080"), 8080, 9090),
        pod("tls", "10.244.1.24", Map.of("prometheus.io/scrape", "true", "prometheus.io/scheme", "https",
            "prometheus.io/path", "stats/prometheus"), 8443),
        pod("quiet", "10.244.1.25", Map.of(), 8080),
        pod("off", "10.244.1.26", Map.of("prometheus.io/scrape", "false"), 8080),
        pod("pending", "", Map.of("prometheus.io/scrape", "true"), 8080)),
        Map.of("cluster", "prod", "node", "node-a"));

    assertThat(targets).extracting(ScrapeTarget::url).containsExactly(
        URI.create("http://10.244.1.23:8080/metrics"), URI.create("https://10.244.1.24:8443/stats/prometheus"));
    assertThat(targets.get(0).labels()).containsExactlyInAnyOrderEntriesOf(Map.of("cluster", "prod", "node", "node-a",
        "namespace", "shop", "pod", "cart", "container", "app", "job", "kubernetes-pods",
        "instance", "10.244.1.23:8080", "workload", "cart", "workload_kind", "Deployment"));
  }

  @Test
  void withoutAPortAnnotationEveryDeclaredPortIsATarget() {
    List<ScrapeTarget> targets = PodTargets.of(
        List.of(pod("multi", "fd00::5", Map.of("prometheus.io/scrape", "true"), 8080, 9090)), Map.of());
    assertThat(targets).extracting(t -> t.labels().get("instance")).containsExactly("[fd00::5]:8080", "[fd00::5]:9090");
  }
}
