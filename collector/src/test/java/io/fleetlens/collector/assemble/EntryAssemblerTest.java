package io.fleetlens.collector.assemble;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.fleetlens.collector.checkpoint.FileProgress;
import io.fleetlens.collector.files.Line;
import io.fleetlens.collector.format.Fragment;
import io.fleetlens.core.logs.ContainerRef;
import io.fleetlens.core.logs.LogRecord;
import io.fleetlens.core.logs.LogStream;

class EntryAssemblerTest {

  /** A file as the assembler sees it: lines are appended one after the other. */
  private static final class File implements EntrySource {
    final String id;
    final FileProgress progress = new FileProgress(0);
    long end;

    File(String id) {
      this.id = id;
    }

    @Override
    public String fileId() {
      return id;
    }

    @Override
    public Path path() {
      return Path.of("/pods/" + id);
    }

    @Override
    public FileProgress progress() {
      return progress;
    }

    @Override
    public long processedUpTo() {
      return end;
    }
  }

  private final List<String> bad = new ArrayList<>();
  private final File a = new File("a");
  private final File b = new File("b");
  private long now = 1_000;

  private EntryAssembler assembler(int maxBytes, boolean multiline) {
    return new EntryAssembler("c1", "n1", new ContainerRef("ns", "pod", "uid", "app"), maxBytes,
        MultilineRules.of(multiline, List.of()), 1_000, (reason, file, at) -> bad.add(reason + "@" + at));
  }

  private List<AssembledRecord> feed(EntryAssembler assembler, File file, LogStream stream, boolean partial,
      String message) {
    return feed(assembler, file, stream, partial, message.getBytes(StandardCharsets.UTF_8));
  }

  private List<AssembledRecord> feed(EntryAssembler assembler, File file, LogStream stream, boolean partial,
      byte[] message) {
    Line line = new Line(new byte[0], file.end, file.end + message.length + 40, false);
    file.end = line.end();
    return assembler.accept(new Fragment(Instant.ofEpochSecond(file.end), stream, partial, message, line), file, now);
  }

  private static List<String> messages(List<AssembledRecord> records) {
    return records.stream().map(r -> r.record().message()).toList();
  }

  @Test
  void partialsJoinUpToTheFullLineAndStartWhereTheFirstPartialDid() {
    EntryAssembler assembler = assembler(1024, false);
    assertThat(feed(assembler, a, LogStream.STDOUT, true, "first ")).isEmpty();
    assertThat(assembler.resumeOffset(a)).isZero();
    assertThat(feed(assembler, a, LogStream.STDOUT, true, "second ")).isEmpty();
    AssembledRecord done = feed(assembler, a, LogStream.STDOUT, false, "third").get(0);
    assertThat(done.record().message()).isEqualTo("first second third");
    assertThat(done.record().origin().offset()).isZero();
    assertThat(done.marks()).containsExactly(new AssembledRecord.Mark(a, a.end));
  }

  @Test
  void streamsJoinSeparatelyAndResumeWaitsForTheUnfinishedOne() {
    EntryAssembler assembler = assembler(1024, false);
    feed(assembler, a, LogStream.STDOUT, true, "out-1 ");
    AssembledRecord err = feed(assembler, a, LogStream.STDERR, false, "err-1").get(0);
    assertThat(err.record().stream()).isEqualTo(LogStream.STDERR);
    assertThat(err.marks()).containsExactly(new AssembledRecord.Mark(a, 0));
    AssembledRecord out = feed(assembler, a, LogStream.STDOUT, false, "out-2").get(0);
    assertThat(out.record().message()).isEqualTo("out-1 out-2");
    assertThat(out.marks()).containsExactly(new AssembledRecord.Mark(a, a.end));
  }

  @Test
  void partialLineSplitByARotationIsJoinedAndHoldsBothFiles() {
    EntryAssembler assembler = assembler(1024, false);
    feed(assembler, a, LogStream.STDOUT, false, "before rotation");
    long partialStart = a.end;
    feed(assembler, a, LogStream.STDOUT, true, "split across ");
    assertThat(assembler.holds(a)).isTrue();
    AssembledRecord joined = feed(assembler, b, LogStream.STDOUT, false, "the rotation").get(0);
    assertThat(joined.record().message()).isEqualTo("split across the rotation");
    assertThat(joined.record().origin().fileId()).isEqualTo("a");
    assertThat(joined.record().origin().offset()).isEqualTo(partialStart);
    assertThat(joined.marks()).containsExactly(new AssembledRecord.Mark(a, a.end), new AssembledRecord.Mark(b, b.end));
    assertThat(assembler.holds(a)).isFalse();
  }

  @Test
  void entryIsCutAtTheLimitOnACharacterBoundaryAndMarked() {
    EntryAssembler assembler = assembler(10, false);
    feed(assembler, a, LogStream.STDOUT, true, "123456789");
    LogRecord record = feed(assembler, a, LogStream.STDOUT, false, "\u00e9 and more").get(0).record();
    assertThat(record.message()).isEqualTo("123456789");
    assertThat(record.truncated()).isTrue();
    assertThat(bad).containsExactly("truncated@0");
  }

  @Test
  void invalidUtf8IsReplacedAndNulBytesDroppedAndBothReported() {
    EntryAssembler assembler = assembler(1024, false);
    LogRecord invalid = feed(assembler, a, LogStream.STDOUT, false, new byte[] {'o', 'k', ' ', (byte) 0xC3, 0x28})
        .get(0).record();
    assertThat(invalid.message()).startsWith("ok ").contains("\uFFFD");
    long second = a.end;
    LogRecord nul = feed(assembler, a, LogStream.STDOUT, false, new byte[] {'a', 0, 'b'}).get(0).record();
    assertThat(nul.message()).isEqualTo("ab");
    assertThat(bad).containsExactly("invalid_utf8@0", "nul_bytes@" + second);
  }

  @Test
  void javaStackTraceSplitIntoCriPartialsBecomesOneRecord() {
    EntryAssembler assembler = assembler(64 * 1024, true);
    List<AssembledRecord> out = new ArrayList<>();
    out.addAll(feed(assembler, a, LogStream.STDERR, false, "ERROR c.e.Cart - checkout failed"));
    out.addAll(feed(assembler, a, LogStream.STDERR, true, "java.lang.IllegalStateException: pay"));
    out.addAll(feed(assembler, a, LogStream.STDERR, false, "ment service answered 503"));
    out.addAll(feed(assembler, a, LogStream.STDERR, false, "\tat com.example.PaymentClient.charge(PaymentClient.java:88)"));
    out.addAll(feed(assembler, a, LogStream.STDOUT, false, "INFO meanwhile on stdout"));
    out.addAll(feed(assembler, a, LogStream.STDERR, true, "\tat com.example.Checkout"));
    out.addAll(feed(assembler, a, LogStream.STDERR, false, "Service.checkout(CheckoutService.java:41)"));
    out.addAll(feed(assembler, a, LogStream.STDERR, false, "Caused by: java.net.SocketTimeoutException: Read timed out"));
    out.addAll(feed(assembler, a, LogStream.STDERR, false, "\t... 3 more"));
    out.addAll(feed(assembler, a, LogStream.STDERR, false, "INFO next entry"));
    assertThat(messages(out)).containsExactly(
        "ERROR c.e.Cart - checkout failed",
        "java.lang.IllegalStateException: payment service answered 503\n"
            + "\tat com.example.PaymentClient.charge(PaymentClient.java:88)\n"
            + "\tat com.example.CheckoutService.checkout(CheckoutService.java:41)\n"
            + "Caused by: java.net.SocketTimeoutException: Read timed out\n"
            + "\t... 3 more");
    now += 1_000;
    assertThat(messages(assembler.flushIdle(now))).containsExactlyInAnyOrder("INFO meanwhile on stdout", "INFO next entry");
  }

  @Test
  void goPanicBecomesOneRecord() {
    EntryAssembler assembler = assembler(64 * 1024, true);
    List<AssembledRecord> out = new ArrayList<>();
    for (String line : List.of("panic: runtime error: index out of range [5] with length 3", "",
        "goroutine 1 [running]:", "main.handler(0xc000012345)", "\t/app/main.go:12 +0x1d",
        "created by net/http.(*Server).Serve", "\t/usr/local/go/src/net/http/server.go:3285 +0x4b4",
        "exit status 2", "2026/11/23 10:00:00 restarting")) {
      out.addAll(feed(assembler, a, LogStream.STDERR, false, line));
    }
    assertThat(messages(out)).containsExactly("panic: runtime error: index out of range [5] with length 3\n\n"
        + "goroutine 1 [running]:\nmain.handler(0xc000012345)\n\t/app/main.go:12 +0x1d\n"
        + "created by net/http.(*Server).Serve\n\t/usr/local/go/src/net/http/server.go:3285 +0x4b4\nexit status 2");
  }

  @Test
  void pythonTracebackBecomesOneRecord() {
    EntryAssembler assembler = assembler(64 * 1024, true);
    List<AssembledRecord> out = new ArrayList<>();
    for (String line : List.of("Traceback (most recent call last):", "  File \"app.py\", line 3, in <module>",
        "    main()", "KeyError: 'cart'", "INFO after")) {
      out.addAll(feed(assembler, a, LogStream.STDERR, false, line));
    }
    assertThat(messages(out)).containsExactly(
        "Traceback (most recent call last):\n  File \"app.py\", line 3, in <module>\n    main()\nKeyError: 'cart'");
  }

  @Test
  void entryWaitingForMoreIsCompleteAfterTheFlushTimeoutAndHoldsTheCheckpointUntilThen() {
    EntryAssembler assembler = assembler(1024, true);
    feed(assembler, a, LogStream.STDOUT, false, "lonely line");
    assertThat(assembler.resumeOffset(a)).isZero();
    assertThat(assembler.flushIdle(now + 999)).isEmpty();
    AssembledRecord flushed = assembler.flushIdle(now + 1_000).get(0);
    assertThat(flushed.record().message()).isEqualTo("lonely line");
    assertThat(flushed.marks()).containsExactly(new AssembledRecord.Mark(a, a.end));
  }
}
