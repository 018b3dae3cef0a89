package io.fleetlens.transport.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import io.fleetlens.core.metrics.MetricMetadata;
import io.fleetlens.core.metrics.Sample;
import io.fleetlens.core.metrics.StaleNaN;

class SampleCodecTest {

  private final SampleCodec codec = new SampleCodec();

  @Test
  void samplesAndMetadataShareTheTopicAndComeBackAsWhatTheyWere() throws Exception {
    Sample sample = new Sample("up", new TreeMap<>(Map.of("cluster", "eu")), 1_795_435_200_123L, 1);
    MetricMetadata metadata = new MetricMetadata("http_requests_total", "counter", "Requests \"handled\".", "");
    assertThat(codec.decodeRecord(codec.encode(sample))).isEqualTo(sample);
    assertThat(codec.decodeRecord(codec.encode(metadata))).isEqualTo(metadata);
    assertThat(new String(codec.encode(metadata), StandardCharsets.UTF_8))
        .contains("\"metadata\":{\"metric\":\"http_requests_total\",\"type\":\"counter\"");
    assertThat(StaleNaN.is(codec.decode(codec.encode(new Sample("up", new TreeMap<>(), 1, StaleNaN.VALUE))).value()))
        .isTrue();
  }

  @Test
  void metadataIsNotASampleAndGarbageIsNeither() {
    MetricMetadata metadata = new MetricMetadata("m", "gauge", "", "");
    assertThatThrownBy(() -> codec.decode(codec.encode(metadata))).isInstanceOf(MalformedRecordException.class);
    assertThatThrownBy(() -> codec.decodeRecord("{\"v\":2,\"name\":\"x\",\"value\":1}".getBytes()))
        .isInstanceOf(MalformedRecordException.class);
    assertThatThrownBy(() -> codec.decodeRecord("not json".getBytes())).isInstanceOf(MalformedRecordException.class);
  }
}
