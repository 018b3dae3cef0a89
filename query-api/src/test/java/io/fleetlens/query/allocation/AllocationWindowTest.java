package io.fleetlens.query.allocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class AllocationWindowTest {

  private static final long NOW = Instant.parse("2026-11-25T10:30:00Z").toEpochMilli(); // a Wednesday

  private static AllocationWindow parse(String text) {
    return AllocationWindow.parse(text, NOW, v -> switch (v) {
      case "24h" -> 86_400_000L;
      case "7d" -> 7 * 86_400_000L;
      default -> throw new IllegalArgumentException("window: not a duration: " + v);
    }, v -> Instant.parse(v));
  }

  private static String[] span(AllocationWindow w) {
    return new String[] {Instant.ofEpochMilli(w.startMs()).toString(), Instant.ofEpochMilli(w.endMs()).toString()};
  }

  @Test
  void namedWindowsAreUtcCalendarPeriodsEndingNowAtTheLatest() {
    assertThat(span(parse("today"))).containsExactly("2026-11-25T00:00:00Z", "2026-11-25T10:30:00Z");
    assertThat(span(parse("yesterday"))).containsExactly("2026-11-24T00:00:00Z", "2026-11-25T00:00:00Z");
    assertThat(span(parse("week"))).containsExactly("2026-11-23T00:00:00Z", "2026-11-25T10:30:00Z");
    assertThat(span(parse("lastweek"))).containsExactly("2026-11-16T00:00:00Z", "2026-11-23T00:00:00Z");
    assertThat(span(parse("month"))).containsExactly("2026-11-01T00:00:00Z", "2026-11-25T10:30:00Z");
    assertThat(span(parse("lastmonth"))).containsExactly("2026-10-01T00:00:00Z", "2026-11-01T00:00:00Z");
    assertThat(span(parse("24h"))).containsExactly("2026-11-24T10:30:00Z", "2026-11-25T10:30:00Z");
    assertThat(span(parse("2026-11-01T00:00:00Z,2026-11-02T00:00:00Z")))
        .containsExactly("2026-11-01T00:00:00Z", "2026-11-02T00:00:00Z");
  }

  @Test
  void aWindowThatEndsBeforeItStartsOrIsNotOneIsRefused() {
    assertThatThrownBy(() -> parse("2026-11-02T00:00:00Z,2026-11-01T00:00:00Z"))
        .hasMessageContaining("start must be before its end");
    assertThatThrownBy(() -> parse("soon")).hasMessageContaining("window");
    assertThatThrownBy(() -> parse("")).hasMessageContaining("required");
  }
}
