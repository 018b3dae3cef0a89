package io.fleetlens.collector.resources;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fleetlens.collector.kube.KubePod;
import io.fleetlens.collector.kube.NodeInfo;
import io.fleetlens.collector.kube.PodDirectory;
import io.fleetlens.collector.kube.PodList;
import io.fleetlens.core.metrics.Sample;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class NodeResourcesTest {

  private static final String CART_UID = "4f6c2a10-1b2c-4d3e-8f90-a1b2c3d4e5f6";
  private static final String CART_APP = "a3f1c2d4e5b6a7980112233445566778899aabbccddeeff00112233445566778";
  private static final String EXPORTER_UID = "6b8e4c32-3d4e-4f50-8b12-c3d4e5f6a7b8";
  private static final String EXPORTER = "e7b5a6f8c9d0e1324556677889900112233aabbccddeeff00112233445566778";
  private static final String SANDBOX = "9".repeat(64);

  @TempDir
  Path work;

  private static byte[] resource(String name) throws IOException {
    try (var in = NodeResourcesTest.class.getResourceAsStream("/kubelet/" + name)) {
      return in.readAllBytes();
    }
  }

  private PodDirectory kubeletPods() throws Exception {
    List<KubePod> pods = PodList.parse(resource("pods.json"));
    PodDirectory directory = new PodDirectory(() -> pods, 60_000, 60_000, List.of(), new SimpleMeterRegistry());
    directory.refresh();
    return directory;
  }

  /** A container's cgroup v2 files, in the kernel's format. */
  private static void container(Path dir, long usageUsec, long periods, long throttled, long throttledUsec,
      long memory, long inactiveFile) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("cpu.stat"), "usage_usec " + usageUsec + "\nuser_usec " + usageUsec * 3 / 4
        + "\nsystem_usec " + usageUsec / 4 + "\ncore_sched.force_idle_usec 0\nnr_periods " + periods
        + "\nnr_throttled " + throttled + "\nthrottled_usec " + throttledUsec + "\nnr_bursts 0\nburst_usec 0\n");
    Files.writeString(dir.resolve("memory.current"), memory + "\n");
    Files.writeString(dir.resolve("memory.stat"), "anon " + (memory - inactiveFile) + "\nfile " + inactiveFile
        + "\nkernel 1200128\nshmem 0\nactive_anon 1000\ninactive_anon " + (memory - inactiveFile - 1000)
        + "\nactive_file 0\ninactive_file " + inactiveFile + "\nunevictable 0\npgfault 51234\n");
  }

  private Path proc() throws IOException {
    Path proc = Files.createDirectories(work.resolve("proc"));
    Files.writeString(proc.resolve("cpuinfo"), "processor\t: 0\nmodel name\t: x\n\nprocessor\t: 1\nmodel name\t: x\n");
    Files.writeString(proc.resolve("meminfo"), "MemTotal:       16203648 kB\nMemFree:         1000000 kB\n");
    return proc;
  }

  private static double value(List<Sample> samples, String name, Map<String, String> labels) {
    return samples.stream().filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet()))
        .mapToDouble(Sample::value).findFirst().orElseThrow(() -> new AssertionError("no " + name + labels));
  }

  @Test
  void containerUsageComesFromCgroupV2WithTheSystemdDriver() throws Exception {
    Path cgroup = work.resolve("cgroup/kubepods.slice");
    Path cartPod = cgroup.resolve("kubepods-burstable.slice/kubepods-burstable-pod" + CART_UID.replace('-', '_') + ".slice");
    container(cartPod.resolve("cri-containerd-" + CART_APP + ".scope"), 123_456_789, 5_000, 120, 3_400_000,
        268_435_456, 67_108_864);
    container(cartPod.resolve("cri-containerd-" + SANDBOX + ".scope"), 1, 0, 0, 0, 4096, 0);
    Path exporterPod = cgroup.resolve("kubepods-pod" + EXPORTER_UID.replace('-', '_') + ".slice");
    container(exporterPod.resolve("cri-containerd-" + EXPORTER + ".scope"), 2_000_000, 10, 0, 0, 50_000_000, 0);

    List<Sample> samples = new NodeResources(work.resolve("cgroup"), proc(), kubeletPods(), null,
        Map.of("cluster", "prod", "node", "node-a")).collect(1_000);

    Map<String, String> app = Map.of("cluster", "prod", "node", "node-a", "namespace", "shop",
        "pod", "cart-7d9f8b6c5-x2kq9", "container", "app", "workload", "cart", "workload_kind", "Deployment");
    assertThat(value(samples, "container_cpu_usage_seconds_total", app)).isEqualTo(123.456789);
    assertThat(value(samples, "container_memory_working_set_bytes", app)).isEqualTo(268_435_456 - 67_108_864);
    assertThat(value(samples, "container_memory_usage_bytes", app)).isEqualTo(268_435_456);
    assertThat(value(samples, "container_cpu_cfs_periods_total", app)).isEqualTo(5_000);
    assertThat(value(samples, "container_cpu_cfs_throttled_periods_total", app)).isEqualTo(120);
    assertThat(value(samples, "container_cpu_cfs_throttled_seconds_total", app)).isEqualTo(3.4);
    assertThat(value(samples, "container_cpu_usage_seconds_total", Map.of("container", "node-exporter"))).isEqualTo(2.0);
    assertThat(samples).filteredOn(s -> s.name().equals("container_cpu_usage_seconds_total")).hasSize(2);
  }

  @Test
  void theCgroupfsDriverLayoutIsFoundToo() throws Exception {
    container(work.resolve("cgroup/kubepods/burstable/pod" + CART_UID + "/" + CART_APP), 5_000_000, 0, 0, 0, 1000, 0);
    assertThat(PodCgroups.find(work.resolve("cgroup")))
        .containsExactly(new PodCgroups.Found(CART_UID, CART_APP, work.resolve("cgroup/kubepods/burstable/pod"
            + CART_UID + "/" + CART_APP)));
  }

  @Test
  void requestsLimitsAndNodeCapacityAreNamedAsKubeStateMetricsNamesThem() throws Exception {
    NodeInfo node = NodeInfo.parse(resource("node.json"));
    List<Sample> samples = new NodeResources(work.resolve("no-cgroup"), proc(), kubeletPods(), () -> node,
        Map.of("cluster", "prod", "node", "node-a")).collect(1_000);

    Map<String, String> app = Map.of("namespace", "shop", "pod", "cart-7d9f8b6c5-x2kq9", "container", "app", "workload", "cart",
        "workload_kind", "Deployment");
    assertThat(value(samples, "kube_pod_container_resource_requests", with(app, "resource", "cpu", "unit", "core")))
        .isEqualTo(0.25);
    assertThat(value(samples, "kube_pod_container_resource_limits", with(app, "resource", "memory", "unit", "byte")))
        .isEqualTo(512.0 * 1024 * 1024);
    assertThat(value(samples, "kube_pod_labels", Map.of("namespace", "shop", "pod", "cart-7d9f8b6c5-x2kq9",
        "label_app", "cart", "label_app_kubernetes_io_name", "cart", "label_pod_template_hash", "7d9f8b6c5")))
        .isEqualTo(1);
    assertThat(value(samples, "kube_pod_annotations", Map.of("pod", "cart-7d9f8b6c5-x2kq9",
        "annotation_kubernetes_io_config_seen", "2026-11-23T09:00:00.118Z"))).isEqualTo(1);
    assertThat(value(samples, "kube_node_status_capacity", Map.of("resource", "cpu", "unit", "core"))).isEqualTo(4);
    assertThat(value(samples, "kube_node_status_allocatable", Map.of("resource", "cpu"))).isEqualTo(3.92);
    assertThat(value(samples, "kube_node_status_capacity", Map.of("resource", "memory"))).isEqualTo(16_203_648 * 1024.0);
    assertThat(value(samples, "kube_node_labels", Map.of("label_node_kubernetes_io_instance_type", "m6i.xlarge",
        "label_topology_kubernetes_io_zone", "eu-west-1b", "label_karpenter_sh_capacity_type", "on-demand"))).isEqualTo(1);
  }

  @Test
  void withoutTheApiServerTheCapacityComesFromProc() throws Exception {
    List<Sample> samples = new NodeResources(work.resolve("no-cgroup"), proc(), kubeletPods(), null,
        Map.of("node", "node-a")).collect(1_000);
    assertThat(value(samples, "kube_node_status_capacity", Map.of("resource", "cpu"))).isEqualTo(2);
    assertThat(value(samples, "kube_node_status_capacity", Map.of("resource", "memory"))).isEqualTo(16_203_648 * 1024.0);
    assertThat(samples).noneMatch(s -> s.name().equals("kube_node_labels"));
  }

  private static Map<String, String> with(Map<String, String> base, String... keyValues) {
    Map<String, String> all = new java.util.HashMap<>(base);
    for (int i = 0; i < keyValues.length; i += 2) {
      all.put(keyValues[i], keyValues[i + 1]);
    }
    return all;
  }
}
