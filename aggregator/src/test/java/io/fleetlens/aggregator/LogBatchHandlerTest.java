package io.fleetlens.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.fleetlens.core.logs.ContainerRef;
import io.fleetlens.core.logs.LogLevel;
import io.fleetlens.core.logs.LogOrigin;
import io.fleetlens.core.logs.LogRecord;
import io.fleetlens.core.logs.LogStream;
import io.fleetlens.core.logs.LogWriter;
import io.fleetlens.core.logs.StoreUnavailableException;
import io.fleetlens.core.logs.WriteOutcome;
import io.fleetlens.transport.kafka.LogRecordCodec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class LogBatchHandlerTest {

  /** A store that answers from a script: each call takes the next step. */
  private static final class ScriptedStore implements LogWriter {
    final Deque<Object> script = new ArrayDeque<>();
    final List<List<LogRecord>> calls = new ArrayList<>();

    @Override
    public List<WriteOutcome> write(List<LogRecord> records) throws StoreUnavailableException {
      calls.add(records);
      Object step = script.poll();
      if (step instanceof StoreUnavailableException e) {
        throw e;
      }
      if (step instanceof WriteOutcome[] outcomes) {
        return List.of(outcomes);
      }
      return records.stream().map(r -> (WriteOutcome) new WriteOutcome.Written()).toList();
    }

    @Override
    public boolean isAvailable() {
      return true;
    }
  }

  private final ScriptedStore store = new ScriptedStore();
  private final List<String> deadLetters = new ArrayList<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final LogBatchHandler handler = new LogBatchHandler(store,
      (source, reason, detail) -> deadLetters.add(source.offset() + ":" + reason),
      new AggregatorMetrics(new SimpleMeterRegistry()), new Backoff(1, 2), running::get);
  private final LogRecordCodec codec = new LogRecordCodec();

  private ConsumerRecord<byte[], byte[]> kafkaRecord(long offset, String message) {
    LogRecord record = new LogRecord("c", "n", new ContainerRef("ns", "p", "u", "app"), Instant.EPOCH,
        LogStream.STDOUT, message, false, null, new LogOrigin("1:1", offset));
    return new ConsumerRecord<>("fleetlens.logs", 0, offset, null, codec.encode(record));
  }

  @Test
  void malformedRecordGoesToDeadLettersAndTheRestIsWritten() throws Exception {
    ConsumerRecord<byte[], byte[]> garbage = new ConsumerRecord<>("fleetlens.logs", 0, 1, null,
        "{oops".getBytes(StandardCharsets.UTF_8));
    assertThat(handler.handle(List.of(kafkaRecord(0, "a"), garbage, kafkaRecord(2, "b")))).isTrue();
    assertThat(deadLetters).containsExactly("1:malformed");
    assertThat(store.calls).hasSize(1);
    assertThat(store.calls.get(0)).extracting(LogRecord::message).containsExactly("a", "b");
  }

  @Test
  void unreachableStoreIsRetriedUntilItAnswers() throws Exception {
    store.script.add(new StoreUnavailableException("down", null));
    store.script.add(new StoreUnavailableException("still down", null));
    assertThat(handler.handle(List.of(kafkaRecord(0, "a")))).isTrue();
    assertThat(store.calls).hasSize(3);
  }

  @Test
  void onlyTheItemsToRetryAreSentAgainAndRejectedOnesAreDeadLettered() throws Exception {
    store.script.add(new WriteOutcome[] {new WriteOutcome.Written(), new WriteOutcome.Retry("429"),
        new WriteOutcome.Rejected("mapper_parsing_exception")});
    assertThat(handler.handle(List.of(kafkaRecord(0, "a"), kafkaRecord(1, "b"), kafkaRecord(2, "c")))).isTrue();
    assertThat(store.calls.get(1)).extracting(LogRecord::message).containsExactly("b");
    assertThat(deadLetters).containsExactly("2:rejected");
  }

  @Test
  void levelIsTakenFromTheMessage() throws Exception {
    handler.handle(List.of(kafkaRecord(0, "ERROR payment failed")));
    assertThat(store.calls.get(0).get(0).level()).isEqualTo(LogLevel.ERROR);
  }

  @Test
  void stoppingDuringAnOutageLeavesTheBatchUnfinished() throws Exception {
    store.script.add(new StoreUnavailableException("down", null));
    running.set(false);
    assertThat(handler.handle(List.of(kafkaRecord(0, "a")))).isFalse();
  }
}
