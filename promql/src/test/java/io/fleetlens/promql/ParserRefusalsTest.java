package io.fleetlens.promql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import io.fleetlens.promql.parse.ParseException;
import io.fleetlens.promql.parse.Parser;

/** Inputs the fuzz suite found crashing the parser; each must be a parse error, nothing worse. */
class ParserRefusalsTest {

  @Test
  void deepNestingIsAParseErrorNotAStackOverflow() {
    assertThatThrownBy(() -> Parser.parse("(".repeat(5_000) + "1" + ")".repeat(5_000)))
        .isInstanceOf(ParseException.class).hasMessageContaining("levels deep");
    assertThatThrownBy(() -> Parser.parse("1" + "+1".repeat(5_000))).isInstanceOf(ParseException.class);
    assertThatThrownBy(() -> Parser.parse("quantile(0.9, ".repeat(500) + "up" + ")".repeat(500)))
        .isInstanceOf(ParseException.class);
    assertThat(Parser.parse("(".repeat(50) + "1" + ")".repeat(50))).isNotNull();
  }

  @Test
  void badEscapesDurationsAndNumbersAreParseErrors() {
    assertThatThrownBy(() -> Parser.parse("label_replace(up, \"\\xzz\", \"\", \"\", \"\")"))
        .isInstanceOf(ParseException.class).hasMessageContaining("invalid escape sequence");
    assertThatThrownBy(() -> Parser.parse("rate(x[99999999999999999999999h])")).isInstanceOf(ParseException.class);
    assertThatThrownBy(() -> Parser.parseDuration("9999999999999999y")).isInstanceOf(ParseException.class)
        .hasMessageContaining("out of range");
    assertThat(Parser.parse("0xffffffffffffffffffff")).isNotNull();
  }
}
