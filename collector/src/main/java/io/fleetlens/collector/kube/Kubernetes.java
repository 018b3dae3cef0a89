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

  private static Path path(String file) {
    return file == null || file.isBlank() ? null : Path.of(file);
  }
}
