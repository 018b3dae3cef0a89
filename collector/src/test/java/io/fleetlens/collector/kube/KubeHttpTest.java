package io.fleetlens.collector.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

import javax.net.ssl.SSLHandshakeException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubeHttpTest {

  @TempDir
  static Path work;
  static RecordedKubelet kubelet;

  @BeforeAll
  static void startKubelet() throws Exception {
    kubelet = new RecordedKubelet(work, PodListTest.kubeletPods());
  }

  @AfterAll
  static void stopKubelet() {
    kubelet.close();
  }

  private static KubeHttp http(Path token, Path ca, boolean insecure) {
    return new KubeHttp(token, ca, insecure, Duration.ofSeconds(5));
  }

  @Test
  void readsThePodListOverVerifiedTlsWithTheServiceAccountToken() throws Exception {
    var pods = PodSource.kubelet(http(kubelet.tokenFile(), kubelet.caFile(), false), kubelet.url()).fetch();
    assertThat(pods).hasSize(6);
  }

  @Test
  void refusesACertificateItCannotVerifyUnlessToldToSkipTheCheck() throws Exception {
    assertThatThrownBy(() -> http(kubelet.tokenFile(), null, false).get(kubelet.url().resolve("/pods")))
        .isInstanceOf(SSLHandshakeException.class);
    assertThat(http(kubelet.tokenFile(), null, true).get(kubelet.url().resolve("/pods"))).isNotEmpty();
  }

  @Test
  void aRefusalNamesTheUrlAndStatus() {
    assertThatThrownBy(() -> http(work.resolve("no-such-token"), kubelet.caFile(), false)
        .get(kubelet.url().resolve("/pods")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("/pods answered 401");
  }
}
