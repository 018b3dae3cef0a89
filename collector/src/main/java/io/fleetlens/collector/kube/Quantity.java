package io.fleetlens.collector.kube;

import java.math.BigDecimal;

/**
 * Kubernetes resource quantities ({@code 250m}, {@code 1.5}, {@code 128Mi}, {@code 1G}, {@code 1e3})
 * as plain numbers: cores for CPU, bytes for memory.
 */
public final class Quantity {

  private Quantity() {
  }

  public static double parse(String text) {
    String s = text.strip();
    String[][] suffixes = {
        {"Ki", "1024"}, {"Mi", "1048576"}, {"Gi", "1073741824"}, {"Ti", "1099511627776"},
        {"Pi", "1125899906842624"}, {"Ei", "1152921504606846976"},
        {"n", "1e-9"}, {"u", "1e-6"}, {"m", "1e-3"}, {"k", "1e3"}, {"M", "1e6"}, {"G", "1e9"}, {"T", "1e12"},
        {"P", "1e15"}, {"E", "1e18"}};
    for (String[] suffix : suffixes) {
      if (s.endsWith(suffix[0]) && !(suffix[0].equals("E") && s.matches(".*\\d[eE]\\d+"))) {
        String number = s.substring(0, s.length() - suffix[0].length());
        return new BigDecimal(number).multiply(new BigDecimal(suffix[1])).doubleValue();
      }
    }
    try {
      return new BigDecimal(s).doubleValue();
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a Kubernetes quantity: " + text, e);
    }
  }
}
