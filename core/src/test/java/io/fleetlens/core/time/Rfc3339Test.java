package io.fleetlens.core.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class Rfc3339Test {

  private static Instant parse(String text) {
    byte[] b = text.getBytes(StandardCharsets.US_ASCII);
    return Rfc3339.parse(b, 0, b.length);
  }

  @Test
  void readsWhatTheJdkReadsForRandomInstantsOffsetsAndPrecisions() {
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < 100_000; i++) {
      Instant instant = Instant.ofEpochSecond(random.nextLong(-62_000_000_000L, 253_000_000_000L),
          random.nextInt(1_000_000_000));
      ZoneOffset offset = ZoneOffset.ofTotalSeconds(random.nextInt(-18 * 60, 18 * 60 + 1) * 60);
      int digits = random.nextInt(10);
      String pattern = "yyyy-MM-dd'T'HH:mm:ss" + (digits == 0 ? "" : "." + "S".repeat(digits)) + "XXX";
      String text = OffsetDateTime.ofInstant(instant, offset).format(DateTimeFormatter.ofPattern(pattern));
      Instant expected = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
      assertThat(parse(text)).as(text).isEqualTo(expected);
    }
  }

  @Test
  void leavesEverythingElseToTheJdk() {
    assertThat(parse("2026-11-23T10:15:30Z")).isEqualTo(Instant.parse("2026-11-23T10:15:30Z"));
    for (String odd : new String[] {"2026-02-30T10:15:30Z", "2026-11-23T24:00:00Z", "2026-11-23T10:15:30",
        "2026-11-23 10:15:30Z", "2026-11-23T10:15:30.Z", "2026-11-23T10:15:30.1234567891Z",
        "2026-11-23T10:15:30+0100", "2026-11-23T10:15:30+01:00:00", "+12026-11-23T10:15:30Z", "garbage-at-all-here",
        "2026-11-23t10:15:30z"}) {
      Object jdk;
      try {
        jdk = OffsetDateTime.parse(odd, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
      } catch (DateTimeParseException refused) {
        jdk = "refused";
      }
      for (java.util.function.Function<String, Instant> way : List.<java.util.function.Function<String, Instant>>of(
          Rfc3339Test::parse, Rfc3339::parse)) {
        Object ours;
        try {
          ours = way.apply(odd);
        } catch (DateTimeParseException refused) {
          ours = "refused";
        }
        assertThat(ours).as(odd).isEqualTo(jdk);
      }
    }
  }

  @Test
  void readsStringsAsItReadsBytes() {
    assertThat(Rfc3339.parse("2026-11-23T10:15:30.123456789+01:00"))
        .isEqualTo(Instant.parse("2026-11-23T09:15:30.123456789Z"));
    assertThat(Rfc3339.parse(new StringBuilder("2026-11-23T10:15:30Z"))).isEqualTo(Instant.parse("2026-11-23T10:15:30Z"));
  }

  @Test
  void writesWhatInstantToStringWrites() {
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 100_000; i++) {
      int nanos = switch (random.nextInt(4)) {
        case 0 -> 0;
        case 1 -> random.nextInt(1000) * 1_000_000;
        case 2 -> random.nextInt(1_000_000) * 1_000;
        default -> random.nextInt(1_000_000_000);
      };
      Instant instant = Instant.ofEpochSecond(random.nextLong(-62_200_000_000L, 253_400_000_000L), nanos);
      assertThat(Rfc3339.format(instant)).isEqualTo(instant.toString());
    }
    assertThat(Rfc3339.format(Instant.MAX)).isEqualTo(Instant.MAX.toString());
    assertThat(Rfc3339.format(Instant.EPOCH.minusSeconds(1))).isEqualTo("1969-12-31T23:59:59Z");
  }
}
