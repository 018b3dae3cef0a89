package io.fleetlens.aggregator.remotewrite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SendersTest {

  @TempDir
  Path dir;

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aSenderIsItsClusterByBasicAuthOrBearerAndNothingElseGetsIn() throws Exception {
    Path file = Files.writeString(dir.resolve("senders"), """
        # cluster  secret
        prod-eu    eu-secret-0123456789
        prod-us    us-secret-0123456789
        """);
    Senders senders = Senders.from(file);
    assertThat(senders.clusterOf(basic("prod-eu", "eu-secret-0123456789"))).hasValue("prod-eu");
    assertThat(senders.clusterOf("Bearer us-secret-0123456789")).hasValue("prod-us");
    assertThat(senders.clusterOf(basic("prod-us", "eu-secret-0123456789"))).as("another cluster's secret").isEmpty();
    assertThat(senders.clusterOf(basic("prod-eu", "eu-secret-0123456789x"))).isEmpty();
    assertThat(senders.clusterOf("Bearer nope")).isEmpty();
    assertThat(senders.clusterOf("Basic !!notbase64")).isEmpty();
    assertThat(senders.clusterOf(null)).isEmpty();
  }

  @Test
  void aRotatedFileTakesEffectAndABadLineIsNamed() throws Exception {
    Path file = Files.writeString(dir.resolve("senders"), "prod-eu eu-secret-0123456789\n");
    Senders senders = Senders.from(file);
    Files.writeString(file, "prod-eu eu-rotated-0123456789\n");
    Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
    long deadline = System.currentTimeMillis() + 10_000;
    while (senders.clusterOf("Bearer eu-rotated-0123456789").isEmpty() && System.currentTimeMillis() < deadline) {
      Thread.sleep(200);
    }
    assertThat(senders.clusterOf("Bearer eu-rotated-0123456789")).hasValue("prod-eu");
    assertThat(senders.clusterOf("Bearer eu-secret-0123456789")).isEmpty();

    Path bad = Files.writeString(dir.resolve("bad"), "prod-eu short\n");
    assertThatThrownBy(() -> Senders.from(bad)).hasMessageContaining("line 1")
        .hasMessageContaining("16 characters");
  }
}
