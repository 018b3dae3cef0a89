package io.fleetlens.transport.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Utils;

import io.fleetlens.core.metrics.SeriesSamples;

/**
 * The records that put samples on the metrics topic: for each partition one version 2 batch
 * ({@link SampleBatchCodec}) of the series bound for it, cut before it passes {@link #MAX_RECORD_BYTES}
 * unless a single series is larger.
 * A series goes to the partition its key ({@link SampleCodec#key}) picks with Kafka's own
 * partitioner hash (murmur2), where its version 1 records went, so a series keeps its order
 * across both versions. The records have no key.
 */
public final class SampleRecords {

  public static final int MAX_RECORD_BYTES = 256 * 1024;
  /** At most this many samples of one series in a record: 18 bytes each at most, under Kafka's 1 MiB. */
  public static final int MAX_SERIES_SAMPLES = 16_384;

  private SampleRecords() {
  }

  /** A record to send and how many samples it holds. */
  public record Batch(ProducerRecord<byte[], byte[]> record, int samples) {
  }

  /**
   * {@code cluster}: the cluster a series is sent for (the first part of its key). A series of more
   * than {@link #MAX_SERIES_SAMPLES} samples is sent in parts, in order, on its partition.
   */
  public static List<Batch> of(String topic, int partitions, List<SeriesSamples> series,
      Function<SeriesSamples, String> cluster) {
    if (partitions <= 0) {
      throw new IllegalArgumentException("topic " + topic + " has no partitions");
    }
    SampleBatchCodec.Builder[] builders = new SampleBatchCodec.Builder[partitions];
    int[] samples = new int[partitions];
    int[] lastSamples = new int[partitions];
    List<Batch> records = new ArrayList<>();
    for (SeriesSamples whole : series) {
      if (whole.size() == 0) {
        continue;
      }
      int p = partition(SampleCodec.key(cluster.apply(whole), whole), partitions);
      SampleBatchCodec.Builder builder = builders[p] == null ? builders[p] = new SampleBatchCodec.Builder()
          : builders[p];
      for (SeriesSamples s : parts(whole)) {
        builder.add(s);
        samples[p] += s.size();
        lastSamples[p] = s.size();
        if (builder.size() > MAX_RECORD_BYTES && builder.series() > 1) {
          records.add(new Batch(new ProducerRecord<>(topic, p, null, builder.buildAllButLast()),
              samples[p] - lastSamples[p]));
          samples[p] = lastSamples[p];
        }
      }
    }
    for (int p = 0; p < partitions; p++) {
      if (builders[p] != null && builders[p].series() > 0) {
        records.add(new Batch(new ProducerRecord<>(topic, p, null, builders[p].build()), samples[p]));
      }
    }
    return records;
  }

  private static List<SeriesSamples> parts(SeriesSamples s) {
    if (s.size() <= MAX_SERIES_SAMPLES) {
      return List.of(s);
    }
    List<SeriesSamples> parts = new ArrayList<>();
    for (int from = 0; from < s.size(); from += MAX_SERIES_SAMPLES) {
      int to = Math.min(s.size(), from + MAX_SERIES_SAMPLES);
      parts.add(new SeriesSamples(s.name(), s.labels(), java.util.Arrays.copyOfRange(s.timestamps(), from, to),
          java.util.Arrays.copyOfRange(s.values(), from, to)));
    }
    return parts;
  }

  /** The partition Kafka's default partitioner picks for a record with this key. */
  static int partition(byte[] key, int partitions) {
    return Utils.toPositive(Utils.murmur2(key)) % partitions;
  }
}
