package io.fleetlens.logql.parse;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Byte sizes as LogQL writes them ({@code 20KB}, {@code 1.5MiB}, {@code 42 mb}): SI units are
 * powers of 1000, the {@code i} units powers of 1024, in any case.
 */
public final class Bytes {

  private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgtpe]?)(i?)b?",
      Pattern.CASE_INSENSITIVE);

  private Bytes() {
  }

  /** The size in bytes; an {@link IllegalArgumentException} when it is not one. */
  public static double parse(String text) {
    Matcher m = SIZE.matcher(text.strip());
    if (!m.matches() || m.group(2).isEmpty() && !m.group(3).isEmpty()) {
      throw new IllegalArgumentException("not a valid byte size: " + text);
    }
    int power = m.group(2).isEmpty() ? 0 : "kmgtpe".indexOf(m.group(2).toLowerCase(Locale.ROOT)) + 1;
    BigDecimal base = BigDecimal.valueOf(m.group(3).isEmpty() ? 1000 : 1024);
    return new BigDecimal(m.group(1)).multiply(base.pow(power)).doubleValue();
  }
}
