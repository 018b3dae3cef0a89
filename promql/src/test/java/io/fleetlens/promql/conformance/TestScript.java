package io.fleetlens.promql.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fleetlens.promql.parse.Parser;

/**
 * Reads Prometheus' PromQL test scripts (the promqltest format): {@code load}, {@code clear} and
 * {@code eval} commands with their indented lines. Only the structure is read here; series and
 * values are read by {@link ConformanceRunner}.
 */
final class TestScript {

  sealed interface Command {
    int line();
  }

  record Load(int line, long stepMs, List<String> series, boolean withNhcb) implements Command {
  }

  record Clear(int line) implements Command {
  }

  /** One eval: instant (start == end, step 0) or range, its expectations and expected result lines. */
  record Eval(int line, String query, boolean range, long startMs, long endMs, long stepMs, boolean expectFail,
      String failMessage, boolean failRegex, boolean ordered, Expectation warn, Expectation info,
      List<String> results, String text) implements Command {
  }

  /** What an eval says of an annotation kind: nothing, none, or one (with an exact message or regex). */
  record Expectation(boolean expected, boolean none, String message, boolean regex) {
    static final Expectation UNSAID = new Expectation(false, false, null, false);
  }

  private static final Pattern INSTANT = Pattern.compile("^eval(_fail|_ordered|_warn|_info)?\\s+instant\\s+at\\s+(\\S+)\\s+(.+)$");
  private static final Pattern RANGE = Pattern.compile(
      "^eval(_fail|_ordered|_warn|_info)?\\s+range\\s+from\\s+(\\S+)\\s+to\\s+(\\S+)\\s+step\\s+(\\S+)\\s+(.+)$");

  private TestScript() {
  }

  static List<Command> read(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file);
    List<Command> commands = new ArrayList<>();
    int i = 0;
    while (i < lines.size()) {
      String raw = lines.get(i);
      String line = raw.strip();
      int number = i + 1;
      i++;
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      List<String> body = new ArrayList<>();
      while (i < lines.size() && !lines.get(i).isBlank() && Character.isWhitespace(lines.get(i).charAt(0))) {
        String b = lines.get(i).strip();
        if (!b.startsWith("#")) {
          body.add(b);
        }
        i++;
      }
      if (line.startsWith("load")) {
        String[] parts = line.split("\\s+");
        commands.add(new Load(number, time(parts[1]), body, parts[0].equals("load_with_nhcb")));
      } else if (line.equals("clear")) {
        commands.add(new Clear(number));
      } else if (line.startsWith("eval")) {
        commands.add(eval(number, line, body, raw + "\n" + String.join("\n", body)));
      } else {
        throw new IOException(file + ":" + number + ": unknown command " + line);
      }
    }
    return commands;
  }

  private static Eval eval(int number, String line, List<String> body, String text) {
    Matcher instant = INSTANT.matcher(line);
    Matcher range = RANGE.matcher(line);
    String variant;
    String query;
    boolean isRange;
    long start;
    long end;
    long step;
    if (instant.matches()) {
      variant = instant.group(1);
      start = time(instant.group(2));
      end = start;
      step = 0;
      query = instant.group(3);
      isRange = false;
    } else if (range.matches()) {
      variant = range.group(1);
      start = time(range.group(2));
      end = time(range.group(3));
      step = time(range.group(4));
      query = range.group(5);
      isRange = true;
    } else {
      throw new IllegalArgumentException("line " + number + ": cannot read " + line);
    }
    boolean fail = "_fail".equals(variant);
    boolean ordered = "_ordered".equals(variant);
    Expectation warn = "_warn".equals(variant) ? new Expectation(true, false, null, false) : Expectation.UNSAID;
    Expectation info = "_info".equals(variant) ? new Expectation(true, false, null, false) : Expectation.UNSAID;
    String failMessage = null;
    boolean failRegex = false;
    List<String> results = new ArrayList<>();
    for (String b : body) {
      if (b.startsWith("expect ")) {
        String what = b.substring(7).strip();
        if (what.startsWith("fail")) {
          fail = true;
          String rest = what.substring(4).strip();
          if (rest.startsWith("msg:")) {
            failMessage = rest.substring(4).strip();
          } else if (rest.startsWith("regex:")) {
            failMessage = rest.substring(6).strip();
            failRegex = true;
          }
        } else if (what.startsWith("string ")) {
          results.add(what.substring(7).strip());
        } else if (what.startsWith("ordered")) {
          ordered = true;
        } else if (what.startsWith("no_warn")) {
          warn = new Expectation(false, true, null, false);
        } else if (what.startsWith("no_info")) {
          info = new Expectation(false, true, null, false);
        } else if (what.startsWith("warn")) {
          warn = expectation(what.substring(4).strip());
        } else if (what.startsWith("info")) {
          info = expectation(what.substring(4).strip());
        }
      } else {
        results.add(b);
      }
    }
    return new Eval(number, query, isRange, start, end, step, fail, failMessage, failRegex, ordered, warn, info,
        results, text);
  }

  private static Expectation expectation(String rest) {
    if (rest.startsWith("msg:")) {
      return new Expectation(true, false, rest.substring(4).strip(), false);
    }
    if (rest.startsWith("regex:")) {
      return new Expectation(true, false, rest.substring(6).strip(), true);
    }
    return new Expectation(true, false, null, false);
  }

  /** A time or duration of the scripts: {@code 50m}, {@code 1h5m}, or seconds ({@code 0}, {@code 1.5}). */
  static long time(String text) {
    if (text.matches("-?[0-9.]+(e[-+]?\\d+)?")) {
      return Math.round(Double.parseDouble(text) * 1000);
    }
    if (text.startsWith("-")) {
      return -Parser.parseDuration(text.substring(1));
    }
    return Parser.parseDuration(text);
  }
}
