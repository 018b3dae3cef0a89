package io.fleetlens.collector.kube;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import io.fleetlens.collector.CollectorConfig;
import io.micrometer.core.instrument.MeterRegistry;

/** Builds the collector's view of Kubernetes from its configuration. */
public final class Kubernetes {

  private Kubernetes() {
  }

  public static PodDirectory podDirectory(CollectorConfig.Kubelet config, MeterRegistry registry) {
    if (!config.enabled()) {
      return PodDirectory.none(registry);
    }
    KubeHttp http = new KubeHttp(path(config.tokenFile()), path(config.caFile()), config.insecureSkipTlsVerify(),
        Duration.ofMillis(config.timeoutMs()));
    return new PodDirectory(PodSource.kubelet(http, URI.create(config.url())), config.refreshMs(),
        config.forgetAfterMs(), config.dropAnnotations(), registry);
  }

  /** This node as the API server describes it, or null when there is no API server to ask. */
  public static java.util.concurrent.Callable<NodeInfo> nodeInfo(CollectorConfig config) {
    String url = config.nodeMetrics().apiServerUrl();
    String host = System.getenv("KUBERNETES_SERVICE_HOST");
    if ((url == null || url.isBlank()) && host != null && !host.isBlank()) {
      String port = System.getenv().getOrDefault("KUBERNETES_SERVICE_PORT", "443");
      url = "https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
    if (url == null || url.isBlank()) {
      return null;
    }
    CollectorConfig.Kubelet kubelet = config.kubelet();
    KubeHttp http = new KubeHttp(path(kubelet.tokenFile()), path(kubelet.caFile()), false,
        Duration.ofMillis(kubelet.timeoutMs()));
    URI apiServer = URI.create(url);
    String node = config.nodeName();
    return () -> NodeInfo.fetch(http, apiServer, node);
  }

  private static Path path(String file) {
    return file == null || file.isBlank() ? null : Path.of(file);
  }
}
