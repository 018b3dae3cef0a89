package io.fleetlens.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.fleetlens.core.logs.LogLevel;

class LevelDetectorTest {

  @Test
  void jsonLevelFields() {
    assertThat(LevelDetector.detect("{\"level\":\"warning\",\"msg\":\"disk\"}")).contains(LogLevel.WARN);
    assertThat(LevelDetector.detect("{\"severity\":\"ERROR\",\"message\":\"x\"}")).contains(LogLevel.ERROR);
    assertThat(LevelDetector.detect("{\"log.level\":\"debug\"}")).contains(LogLevel.DEBUG);
  }

  @Test
  void leadingLevelWordsOfCommonLayouts() {
    assertThat(LevelDetector.detect("ERROR something broke")).contains(LogLevel.ERROR);
    assertThat(LevelDetector.detect("[WARN] slow request")).contains(LogLevel.WARN);
    assertThat(LevelDetector.detect("2026-11-23 10:00:00.123  INFO 1 --- [main] o.s.Boot : Started"))
        .contains(LogLevel.INFO);
    assertThat(LevelDetector.detect("2026-11-23T10:00:00Z ERROR [http-nio] c.e.Cart - payment failed"))
        .contains(LogLevel.ERROR);
  }

  @Test
  void logfmtAndKlog() {
    assertThat(LevelDetector.detect("ts=2026-11-23T10:00:00Z level=error msg=\"boom\"")).contains(LogLevel.ERROR);
    assertThat(LevelDetector.detect("E1123 10:00:00.000000       1 reflector.go:123] watch failed"))
        .contains(LogLevel.ERROR);
    assertThat(LevelDetector.detect("I1123 10:00:00.000000       1 main.go:10] started")).contains(LogLevel.INFO);
  }

  @Test
  void levelWordsDeepInTheMessageOrInLowerCaseAreNotLevels() {
    assertThat(LevelDetector.detect("the quick brown fox jumps over the ERROR handler")).isEmpty();
    assertThat(LevelDetector.detect("no error here")).isEmpty();
    assertThat(LevelDetector.detect("\tat com.example.Cart.pay(Cart.java:42)")).isEmpty();
    assertThat(LevelDetector.detect("{\"msg\":\"no level\"}")).isEmpty();
  }
}
