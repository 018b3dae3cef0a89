package io.fleetlens.collector.kube;

import java.io.IOException;
import java.util.List;

/** Where the pods of this node come from: the kubelet's {@code /pods}, or none. */
@FunctionalInterface
public interface PodSource {

  List<KubePod> fetch() throws IOException, InterruptedException;

  static PodSource kubelet(KubeHttp http, java.net.URI kubeletUrl) {
    java.net.URI pods = kubeletUrl.resolve("/pods");
    return () -> PodList.parse(http.get(pods));
  }
}
