package io.fleetlens.alerting.rules;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * Numbers printed the way Go's fmt prints them, since alert texts are compared with what
 * Prometheus would have written: {@code %v} of a float64 ({@code 1e+06}, {@code 0.25}) and
 * {@code %.Ng} with trailing zeros removed.
 */
public final class GoFormat {

  private GoFormat() {
  }

  /** Go's {@code %v} (strconv 'g' with the shortest digits). */
  public static String value(double v) {
    return g(v, -1);
  }

  /** Go's {@code %.<precision>g}; a precision of -1 means the shortest digits that read back exactly. */
  static String g(double v, int precision) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == 0) {
      return (1 / v < 0) ? "-0" : "0";
    }
    BigDecimal d = precision < 0 ? new BigDecimal(Double.toString(v))
        : new BigDecimal(v).round(new MathContext(Math.max(precision, 1), RoundingMode.HALF_EVEN));
    d = d.stripTrailingZeros();
    int digits = d.precision();
    int exp = digits - d.scale() - 1;
    int eprec = precision < 0 ? 6 : Math.max(precision, 1);
    if (precision >= 0 && eprec > digits && digits >= exp + 1) {
      eprec = digits;
    }
    if (exp < -4 || exp >= eprec) {
      String mantissa = d.movePointLeft(exp).toPlainString();
      return mantissa + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    }
    return d.toPlainString();
  }

  /** Go's {@code strconv.FormatFloat(v, 'e', -1, 64)}, as Prometheus' API prints an alert's value: {@code 7.5e+01}. */
  public static String exponent(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return g(v, -1);
    }
    if (v == 0) {
      return (1 / v < 0 ? "-" : "") + "0e+00";
    }
    BigDecimal d = new BigDecimal(Double.toString(v)).stripTrailingZeros();
    int exp = d.precision() - d.scale() - 1;
    return d.movePointLeft(exp).toPlainString() + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "")
        + Math.abs(exp);
  }

  /** Go's {@code %.<decimals>f}. */
  static String f(double v, int decimals) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return g(v, -1);
    }
    return String.format(Locale.ROOT, "%." + decimals + "f", v);
  }
}
