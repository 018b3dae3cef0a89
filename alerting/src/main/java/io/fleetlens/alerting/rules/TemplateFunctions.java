package io.fleetlens.alerting.rules;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Prometheus' template functions, with its formats (it prints with Go's {@code %.4g}). */
final class TemplateFunctions {

  private static final String[] BIG = {"", "k", "M", "G", "T", "P", "E", "Z", "Y"};
  private static final String[] SMALL = {"", "m", "u", "n", "p", "f", "a", "z", "y"};
  private static final String[] BINARY = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"};

  private TemplateFunctions() {
  }

  static Object call(String name, List<Object> args) {
    return switch (name) {
      case "humanize" -> humanize(number(name, one(name, args)));
      case "humanize1024" -> humanize1024(number(name, one(name, args)));
      case "humanizePercentage" -> GoFormat.g(number(name, one(name, args)) * 100, 4) + "%";
      case "humanizeDuration" -> humanizeDuration(number(name, one(name, args)));
      case "toUpper" -> AlertTemplate.print(one(name, args)).toUpperCase(Locale.ROOT);
      case "toLower" -> AlertTemplate.print(one(name, args)).toLowerCase(Locale.ROOT);
      case "title" -> title(AlertTemplate.print(one(name, args)));
      case "index" -> index(args);
      case "printf" -> printf(args);
      default -> throw new IllegalArgumentException("function \"" + name + "\" not defined");
    };
  }

  private static Object one(String name, List<Object> args) {
    if (args.size() != 1) {
      throw new IllegalArgumentException("wrong number of args for " + name + ": want 1 got " + args.size());
    }
    return args.getFirst();
  }

  /** A number, or a string holding one, as Prometheus' functions accept both. */
  private static double number(String function, Object v) {
    if (v instanceof Double d) {
      return d;
    }
    try {
      return Double.parseDouble(AlertTemplate.print(v).strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(function + ": not a number: \"" + AlertTemplate.print(v) + "\"");
    }
  }

  static String humanize(double v) {
    if (v == 0 || Double.isNaN(v) || Double.isInfinite(v)) {
      return GoFormat.g(v, 4);
    }
    if (Math.abs(v) >= 1) {
      int prefix = 0;
      while (Math.abs(v) >= 1000 && prefix < BIG.length - 1) {
        v /= 1000;
        prefix++;
      }
      return GoFormat.g(v, 4) + BIG[prefix];
    }
    int prefix = 0;
    while (Math.abs(v) < 1 && prefix < SMALL.length - 1) {
      v *= 1000;
      prefix++;
    }
    return GoFormat.g(v, 4) + SMALL[prefix];
  }

  static String humanize1024(double v) {
    if (Math.abs(v) <= 1 || Double.isNaN(v) || Double.isInfinite(v)) {
      return GoFormat.g(v, 4);
    }
    int prefix = 0;
    while (Math.abs(v) >= 1024 && prefix < BINARY.length - 1) {
      v /= 1024;
      prefix++;
    }
    return GoFormat.g(v, 4) + BINARY[prefix];
  }

  static String humanizeDuration(double seconds) {
    if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
      return GoFormat.g(seconds, 4);
    }
    String sign = seconds < 0 ? "-" : "";
    double v = Math.abs(seconds);
    if (v >= 1) {
      long whole = (long) v;
      long days = whole / 86400;
      long hours = whole / 3600 % 24;
      long minutes = whole / 60 % 60;
      double secs = v % 60;
      if (days != 0) {
        return String.format(Locale.ROOT, "%s%dd %dh %dm %ds", sign, days, hours, minutes, (long) secs);
      }
      if (hours != 0) {
        return String.format(Locale.ROOT, "%s%dh %dm %ds", sign, hours, minutes, (long) secs);
      }
      if (minutes != 0) {
        return String.format(Locale.ROOT, "%s%dm %ds", sign, minutes, (long) secs);
      }
      return sign + GoFormat.g(v, 4) + "s";
    }
    if (v == 0) {
      return "0s";
    }
    String[] units = {"ms", "us", "ns", "ps"};
    int unit = 0;
    v *= 1000;
    while (v < 1 && unit < units.length - 1) {
      v *= 1000;
      unit++;
    }
    return sign + GoFormat.g(v, 4) + units[unit];
  }

  private static String title(String s) {
    StringBuilder out = new StringBuilder(s.length());
    boolean start = true;
    for (char c : s.toCharArray()) {
      out.append(start ? Character.toTitleCase(c) : c);
      start = !Character.isLetterOrDigit(c) && c != '_' && c != '\'';
    }
    return out.toString();
  }

  private static Object index(List<Object> args) {
    if (args.size() != 2 || !(args.getFirst() instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException("index: want a map and a key");
    }
    Object v = map.get(AlertTemplate.print(args.get(1)));
    return v == null ? "" : v;
  }

  /** Go's printf for the verbs templates use: %s %v %d %f %.Nf %g %.Ng %e %q %%. */
  private static String printf(List<Object> args) {
    if (args.isEmpty() || !(args.getFirst() instanceof String format)) {
      throw new IllegalArgumentException("printf: want a format string");
    }
    StringBuilder out = new StringBuilder();
    int next = 1;
    for (int i = 0; i < format.length(); i++) {
      char c = format.charAt(i);
      if (c != '%') {
        out.append(c);
        continue;
      }
      int j = i + 1;
      int precision = -1;
      if (j < format.length() && format.charAt(j) == '.') {
        int k = j + 1;
        while (k < format.length() && Character.isDigit(format.charAt(k))) {
          k++;
        }
        precision = k == j + 1 ? 0 : Integer.parseInt(format.substring(j + 1, k));
        j = k;
      }
      if (j >= format.length()) {
        out.append("%!(NOVERB)");
        break;
      }
      char verb = format.charAt(j);
      i = j;
      if (verb == '%') {
        out.append('%');
        continue;
      }
      if (next >= args.size()) {
        out.append("%!").append(verb).append("(MISSING)");
        continue;
      }
      Object arg = args.get(next++);
      out.append(switch (verb) {
        case 'f', 'F' -> GoFormat.f(number("printf", arg), precision < 0 ? 6 : precision);
        case 'g' -> GoFormat.g(number("printf", arg), precision);
        case 'e' -> String.format(Locale.ROOT, "%." + (precision < 0 ? 6 : precision) + "e", number("printf", arg))
            .replaceAll("e([+-])(\\d)$", "e$10$2");
        case 'd' -> arg instanceof Double d ? "%!d(float64=" + GoFormat.value(d) + ")"
            : Long.toString((long) number("printf", arg));
        case 'q' -> "\"" + AlertTemplate.print(arg).replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        case 's', 'v' -> AlertTemplate.print(arg);
        default -> "%!" + verb + "(" + AlertTemplate.print(arg) + ")";
      });
    }
    return out.toString();
  }
}
