package io.fleetlens.transport.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

import io.fleetlens.core.metrics.Labels;
import io.fleetlens.core.metrics.MetricRecord;
import io.fleetlens.core.metrics.Sample;
import io.fleetlens.core.metrics.SeriesSamples;
import io.fleetlens.core.metrics.StaleNaN;

class SampleBatchCodecTest {

  private static SeriesSamples series(String name, Map<String, String> labels, long[] t, double[] v) {
    return new SeriesSamples(name, new TreeMap<>(labels), t, v);
  }

  private static final SeriesSamples UP = series("up", Map.of("cluster", "eu", "Zone", "a", "job", "node"),
      new long[] {1_795_435_200_000L, 1_795_435_215_000L, 1_795_435_214_999L, -5},
      new double[] {1, Double.NaN, StaleNaN.VALUE, Double.NEGATIVE_INFINITY});
  private static final SeriesSamples REQUESTS = series("http_requests_total", Map.of("cluster", "eu", "code", "500"),
      new long[] {1_795_435_200_000L}, new double[] {-0.0});

  @Test
  void aBatchComesBackSeriesBySeriesWithEveryBitOfItsValues() throws Exception {
    byte[] value = SampleBatchCodec.encode(List.of(UP, REQUESTS));
    assertThat(value[0]).isEqualTo((byte) 2);
    assertThat(SampleBatchCodec.isBatch(value)).isTrue();
    assertThat(SampleBatchCodec.isBatch(new SampleCodec().encode(UP.samples().get(0)))).isFalse();

    SampleBatchCodec.Reader reader = new SampleBatchCodec.Reader(value);
    List<SeriesSamples> read = new ArrayList<>();
    while (reader.next()) {
      read.add(reader.series());
    }
    assertThat(read).containsExactly(UP, REQUESTS); // equal arrays: NaN, the stale NaN and -0.0 bit for bit
    assertThat(StaleNaN.is(read.get(0).values()[2])).isTrue();
    assertThat(StaleNaN.is(read.get(0).values()[1])).isFalse();
    assertThat(Double.doubleToRawLongBits(read.get(1).values()[0])).isEqualTo(Double.doubleToRawLongBits(-0.0));
  }

  @Test
  void theLabelsBlockIsTheSeriesIdentityWithTheNameAmongTheSortedLabels() throws Exception {
    SampleBatchCodec.Reader reader = new SampleBatchCodec.Reader(SampleBatchCodec.encode(List.of(UP)));
    assertThat(reader.next()).isTrue();
    Labels labels = reader.labels();
    assertThat(labels).isEqualTo(Labels.of("__name__", "up", "cluster", "eu", "Zone", "a", "job", "node"));
    assertThat(labels.name(0)).isEqualTo("Zone"); // upper case sorts before "__name__"
    assertThat(reader.labelBytes()).isEqualTo(SampleBatchCodec.labelBytes(labels))
        .hasSameHashCodeAs(SampleBatchCodec.labelBytes(labels));
    assertThat(reader.labelBytes()).isNotEqualTo(SampleBatchCodec.labelBytes(labels.with("job", "api")));

    // empty values are no labels, as Prometheus has it
    SeriesSamples withEmpty = series("up", Map.of("cluster", "eu", "Zone", "a", "job", "node", "pod", ""),
        UP.timestamps(), UP.values());
    SampleBatchCodec.Reader other = new SampleBatchCodec.Reader(SampleBatchCodec.encode(List.of(withEmpty)));
    other.next();
    assertThat(other.labelBytes()).isEqualTo(reader.labelBytes());
  }

  @Test
  void eachSeriesGoesToThePartitionKafkaPicksForItsVersion1Key() {
    List<SeriesSamples> many = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      many.add(series("up", Map.of("cluster", "eu", "instance", "10.0.0." + i), new long[] {i}, new double[] {i}));
    }
    List<SampleRecords.Batch> batches = SampleRecords.of("metrics", 6, many, s -> "eu");
    assertThat(batches).hasSizeLessThanOrEqualTo(6);
    assertThat(batches.stream().mapToInt(SampleRecords.Batch::samples).sum()).isEqualTo(50);
    for (SampleRecords.Batch batch : batches) {
      assertThat(batch.record().key()).isNull();
      for (MetricRecord record : decodeAll(batch.record().value())) {
        Sample sample = (Sample) record;
        assertThat(batch.record().partition())
            .isEqualTo(BuiltInPartitioner.partitionForKey(SampleCodec.key("eu", sample), 6));
      }
    }
  }

  @Test
  void aRecordIsCutBeforeItGrowsPastItsLimit() {
    long[] t = new long[2_000];
    double[] v = new double[2_000];
    Arrays.setAll(t, i -> i * 15_000L);
    List<SeriesSamples> big = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      big.add(series("m", Map.of("cluster", "eu"), t, v)); // one series: one partition
    }
    List<SampleRecords.Batch> batches = SampleRecords.of("metrics", 3, big, s -> "eu");
    assertThat(batches).hasSizeGreaterThan(1)
        .allSatisfy(b -> assertThat(b.record().value().length).isLessThanOrEqualTo(SampleRecords.MAX_RECORD_BYTES));
    assertThat(batches.stream().mapToInt(SampleRecords.Batch::samples).sum()).isEqualTo(80_000);

    long[] long40k = new long[40_000];
    Arrays.setAll(long40k, i -> i * 1_000L);
    List<SampleRecords.Batch> parts = SampleRecords.of("metrics", 3,
        List.of(series("m", Map.of("cluster", "eu"), long40k, new double[40_000])), s -> "eu");
    assertThat(parts).hasSizeGreaterThan(1).allSatisfy(b -> assertThat(b.record().value().length).isLessThan(1 << 20));
    List<Long> times = new ArrayList<>();
    for (SampleRecords.Batch part : parts) {
      decodeAll(part.record().value()).forEach(r -> times.add(((Sample) r).timestampMillis()));
    }
    assertThat(times).hasSize(40_000).isSorted();
  }

  @Test
  void brokenBatchesAreMalformedAndSayWhere() throws Exception {
    byte[] good = SampleBatchCodec.encode(List.of(UP, REQUESTS));
    assertThatThrownBy(() -> readAll(Arrays.copyOf(good, good.length - 3)))
        .isInstanceOf(MalformedRecordException.class).hasMessageContaining("past the record's end");
    byte[] longer = Arrays.copyOf(good, good.length + 2);
    assertThatThrownBy(() -> readAll(longer)).hasMessageContaining("2 bytes after the last series");
    assertThatThrownBy(() -> new SampleBatchCodec.Reader("{\"v\":1}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(MalformedRecordException.class);
    byte[] huge = {2, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff,
        (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01};
    assertThatThrownBy(() -> readAll(huge)).isInstanceOf(MalformedRecordException.class);

    // labels out of order: the same series could otherwise arrive under two identities
    byte[] unsorted = {2, 1, 16, 2, 1, 'b', 1, 'x', 8, '_', '_', 'n', 'a', 'm', 'e', '_', '_', 1, 'm', 0};
    SampleBatchCodec.Reader reader = new SampleBatchCodec.Reader(unsorted);
    assertThat(reader.next()).isTrue();
    assertThatThrownBy(reader::labels).hasMessageContaining("not sorted");
  }

  private static List<MetricRecord> decodeAll(byte[] value) {
    try {
      return new SampleCodec().decodeAll(value);
    } catch (MalformedRecordException e) {
      throw new AssertionError(e);
    }
  }

  private static void readAll(byte[] value) throws MalformedRecordException {
    SampleBatchCodec.Reader reader = new SampleBatchCodec.Reader(value);
    while (reader.next()) {
      reader.labels();
    }
  }
}
