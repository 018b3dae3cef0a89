package io.fleetlens.collector.cri;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.fleetlens.collector.files.Line;
import io.fleetlens.core.logs.ContainerRef;
import io.fleetlens.core.logs.LogRecord;
import io.fleetlens.core.logs.LogStream;

class CriRecordAssemblerTest {

  private final List<String> bad = new ArrayList<>();
  private long offset;

  private CriRecordAssembler assembler(int maxBytes) {
    return new CriRecordAssembler("c1", "n1", new ContainerRef("ns", "pod", "uid", "app"), Path.of("/x/0.log"),
        "1:2", maxBytes, (reason, file, at) -> bad.add(reason + "@" + at));
  }

  private Line line(byte[] bytes) {
    Line line = new Line(bytes, offset, offset + bytes.length + 1, false);
    offset = line.end();
    return line;
  }

  private Line line(String text) {
    return line(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void partialsJoinUpToTheFullLineAndStartWhereTheFirstPartialDid() {
    CriRecordAssembler a = assembler(1024);
    assertThat(a.accept(line("2026-11-23T10:00:00.1Z stdout P first "))).isEmpty();
    assertThat(a.accept(line("2026-11-23T10:00:00.2Z stdout P second "))).isEmpty();
    AssembledRecord done = a.accept(line("2026-11-23T10:00:00.3Z stdout F third")).orElseThrow();
    assertThat(done.record().message()).isEqualTo("first second third");
    assertThat(done.record().origin().offset()).isZero();
    assertThat(done.record().timestamp().toString()).isEqualTo("2026-11-23T10:00:00.100Z");
    assertThat(done.resumeOffset()).isEqualTo(offset);
    assertThat(bad).isEmpty();
  }

  @Test
  void streamsJoinSeparatelyAndResumeWaitsForTheUnfinishedOne() {
    CriRecordAssembler a = assembler(1024);
    a.accept(line("2026-11-23T10:00:00Z stdout P out-1 "));
    long stdoutStart = 0;
    AssembledRecord err = a.accept(line("2026-11-23T10:00:00Z stderr F err-1")).orElseThrow();
    assertThat(err.record().stream()).isEqualTo(LogStream.STDERR);
    assertThat(err.record().message()).isEqualTo("err-1");
    assertThat(err.resumeOffset()).isEqualTo(stdoutStart);
    AssembledRecord out = a.accept(line("2026-11-23T10:00:00Z stdout F out-2")).orElseThrow();
    assertThat(out.record().message()).isEqualTo("out-1 out-2");
    assertThat(out.resumeOffset()).isEqualTo(offset);
  }

  @Test
  void joinedEntryIsCutAtTheLimitOnACharacterBoundaryAndMarked() {
    CriRecordAssembler a = assembler(10);
    a.accept(line("2026-11-23T10:00:00Z stdout P 123456789"));
    LogRecord record = a.accept(line("2026-11-23T10:00:00Z stdout F é and more")).orElseThrow().record();
    assertThat(record.message()).isEqualTo("123456789");
    assertThat(record.truncated()).isTrue();
    assertThat(bad).containsExactly("truncated@0");
  }

  @Test
  void invalidUtf8IsReplacedAndReportedAndTheLineKept() {
    CriRecordAssembler a = assembler(1024);
    byte[] prefix = "2026-11-23T10:00:00Z stdout F bad ".getBytes(StandardCharsets.UTF_8);
    byte[] bytes = new byte[prefix.length + 2];
    System.arraycopy(prefix, 0, bytes, 0, prefix.length);
    bytes[prefix.length] = (byte) 0xC3;
    bytes[prefix.length + 1] = (byte) 0x28;
    LogRecord record = a.accept(line(bytes)).orElseThrow().record();
    assertThat(record.message()).startsWith("bad ").contains("\uFFFD");
    assertThat(bad).containsExactly("invalid_utf8@0");
  }

  @Test
  void lineThatIsNotCriIsReportedWithItsOffsetAndSkipped() {
    CriRecordAssembler a = assembler(1024);
    a.accept(line("2026-11-23T10:00:00Z stdout F before"));
    long badAt = offset;
    Optional<AssembledRecord> none = a.accept(line("this is not a CRI line"));
    assertThat(none).isEmpty();
    assertThat(a.accept(line("2026-11-23T10:00:00Z stdout F after")).orElseThrow().record().message()).isEqualTo("after");
    assertThat(bad).containsExactly("not_cri@" + badAt);
  }
}
