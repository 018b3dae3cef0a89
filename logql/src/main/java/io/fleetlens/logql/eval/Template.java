package io.fleetlens.logql.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The templates of {@code line_format} and {@code label_format}: Go's text/template as LogQL uses
 * it, for what LogQL queries write: {@code {{.label}}}, {@code {{ .a | ToUpper }}},
 * {@code {{ Replace .path "/" "_" -1 }}}, {@code {{__line__}}}, {@code {{__timestamp__}}}, string and
 * number literals, {@code {{-}} trim markers, and the string functions Loki documents. Anything
 * else (if, range, with) is refused when the query is parsed.
 */
public final class Template {

  /** What a template reads: the labels of the line, the line, its time in nanoseconds. */
  public record Data(Map<String, String> labels, String line, long timestampNanos) {
  }

  private sealed interface Node permits Text, Action {
  }

  private record Text(String text) implements Node {
  }

  private record Action(List<List<String>> commands) implements Node {
  }

  private final List<Node> nodes;

  private Template(List<Node> nodes) {
    this.nodes = nodes;
  }

  /** Compiles a template; an {@link IllegalArgumentException} says what is wrong with it. */
  public static Template of(String text) {
    List<Node> nodes = new ArrayList<>();
    int at = 0;
    while (at < text.length()) {
      int open = text.indexOf("{{", at);
      if (open < 0) {
        nodes.add(new Text(text.substring(at)));
        break;
      }
      int close = text.indexOf("}}", open + 2);
      if (close < 0) {
        throw new IllegalArgumentException("unclosed action in template: " + text.substring(open));
      }
      String literal = text.substring(at, open);
      String inside = text.substring(open + 2, close);
      if (inside.startsWith("-") && (inside.length() == 1 || Character.isWhitespace(inside.charAt(1)))) {
        literal = literal.stripTrailing();
        inside = inside.substring(1);
      }
      at = close + 2;
      if (inside.endsWith("-") && (inside.length() == 1 || Character.isWhitespace(inside.charAt(inside.length() - 2)))) {
        inside = inside.substring(0, inside.length() - 1);
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
          at++;
        }
      }
      if (!literal.isEmpty()) {
        nodes.add(new Text(literal));
      }
      nodes.add(action(inside.strip()));
    }
    return new Template(List.copyOf(nodes));
  }

  private static Action action(String source) {
    if (source.isEmpty()) {
      throw new IllegalArgumentException("missing value for command in template");
    }
    List<List<String>> commands = new ArrayList<>();
    for (String command : splitPipes(source)) {
      List<String> words = words(command.strip());
      if (words.isEmpty()) {
        throw new IllegalArgumentException("missing command in template action {{" + source + "}}");
      }
      String head = words.get(0);
      if (!head.startsWith(".") && !head.startsWith("\"") && !head.startsWith("`") && !FUNCTIONS.containsKey(head)
          && !head.matches("-?\\d+(\\.\\d+)?")) {
        throw new IllegalArgumentException("function \"" + head + "\" not defined in template");
      }
      commands.add(words);
    }
    return new Action(commands);
  }

  private static List<String> splitPipes(String source) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    char quote = 0;
    for (int i = 0; i < source.length(); i++) {
      char c = source.charAt(i);
      if (quote != 0) {
        current.append(c);
        if (c == '\\' && quote == '"' && i + 1 < source.length()) {
          current.append(source.charAt(++i));
        } else if (c == quote) {
          quote = 0;
        }
      } else if (c == '"' || c == '`') {
        quote = c;
        current.append(c);
      } else if (c == '|') {
        out.add(current.toString());
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    out.add(current.toString());
    return out;
  }

  private static List<String> words(String command) {
    List<String> out = new ArrayList<>();
    int i = 0;
    while (i < command.length()) {
      char c = command.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '"' || c == '`') {
        int j = i + 1;
        while (j < command.length() && command.charAt(j) != c) {
          j += command.charAt(j) == '\\' && c == '"' ? 2 : 1;
        }
        if (j >= command.length()) {
          throw new IllegalArgumentException("unterminated quoted string in template: " + command);
        }
        out.add(command.substring(i, j + 1));
        i = j + 1;
      } else {
        int j = i;
        while (j < command.length() && !Character.isWhitespace(command.charAt(j))) {
          j++;
        }
        out.add(command.substring(i, j));
        i = j;
      }
    }
    return out;
  }

  /** Renders the template over one line. */
  public String render(Data data) {
    StringBuilder out = new StringBuilder();
    for (Node node : nodes) {
      switch (node) {
        case Text t -> out.append(t.text());
        case Action a -> out.append(run(a, data));
      }
    }
    return out.toString();
  }

  private static String run(Action action, Data data) {
    String piped = null;
    for (List<String> command : action.commands()) {
      List<String> args = new ArrayList<>();
      for (String word : command.subList(1, command.size())) {
        args.add(value(word, data));
      }
      if (piped != null) {
        args.add(piped);
      }
      String head = command.get(0);
      Function<Call, String> fn = FUNCTIONS.get(head);
      piped = fn != null ? fn.apply(new Call(head, args, data)) : value(head, data);
    }
    return piped == null ? "" : piped;
  }

  private static String value(String word, Data data) {
    if (word.startsWith("\"")) {
      return io.fleetlens.logql.eval.GoStrings.unquote(word);
    }
    if (word.startsWith("`")) {
      return word.substring(1, word.length() - 1);
    }
    if (word.equals(".")) {
      return data.labels().toString();
    }
    if (word.startsWith(".")) {
      return data.labels().getOrDefault(word.substring(1), "");
    }
    if (FUNCTIONS.containsKey(word)) {
      return FUNCTIONS.get(word).apply(new Call(word, List.of(), data));
    }
    return word;
  }

  private record Call(String name, List<String> args, Data data) {
    String arg(int i) {
      if (i >= args.size()) {
        throw new IllegalArgumentException("wrong number of args for " + name + ": want at least " + (i + 1)
            + " got " + args.size());
      }
      return args.get(i);
    }

    /** The last argument: where a pipe puts its value. */
    String last() {
      return arg(args.size() - 1);
    }
  }

  private static final Map<String, Function<Call, String>> FUNCTIONS = Map.ofEntries(
      Map.entry("__line__", c -> c.data().line()),
      Map.entry("__timestamp__", c -> java.time.Instant.ofEpochSecond(0, c.data().timestampNanos()).toString()),
      Map.entry("ToLower", c -> c.last().toLowerCase(Locale.ROOT)),
      Map.entry("lower", c -> c.last().toLowerCase(Locale.ROOT)),
      Map.entry("ToUpper", c -> c.last().toUpperCase(Locale.ROOT)),
      Map.entry("upper", c -> c.last().toUpperCase(Locale.ROOT)),
      Map.entry("Title", c -> title(c.last())),
      Map.entry("title", c -> title(c.last())),
      Map.entry("TrimSpace", c -> c.last().strip()),
      Map.entry("trim", c -> c.last().strip()),
      Map.entry("Trim", c -> trim(c.arg(0), c.arg(1), true, true)),
      Map.entry("TrimLeft", c -> trim(c.arg(0), c.arg(1), true, false)),
      Map.entry("TrimRight", c -> trim(c.arg(0), c.arg(1), false, true)),
      Map.entry("TrimPrefix", c -> c.arg(0).startsWith(c.arg(1)) ? c.arg(0).substring(c.arg(1).length()) : c.arg(0)),
      Map.entry("TrimSuffix", c -> c.arg(0).endsWith(c.arg(1))
          ? c.arg(0).substring(0, c.arg(0).length() - c.arg(1).length()) : c.arg(0)),
      Map.entry("trimPrefix", c -> c.arg(1).startsWith(c.arg(0)) ? c.arg(1).substring(c.arg(0).length()) : c.arg(1)),
      Map.entry("trimSuffix", c -> c.arg(1).endsWith(c.arg(0))
          ? c.arg(1).substring(0, c.arg(1).length() - c.arg(0).length()) : c.arg(1)),
      Map.entry("Replace", c -> replace(c.arg(0), c.arg(1), c.arg(2), Integer.parseInt(c.arg(3)))),
      Map.entry("replace", c -> c.arg(2).replace(c.arg(0), c.arg(1))),
      Map.entry("regexReplaceAll", c -> Pattern.compile(c.arg(0)).matcher(c.arg(1)).replaceAll(c.arg(2))),
      Map.entry("regexReplaceAllLiteral", c -> Pattern.compile(c.arg(0)).matcher(c.arg(1))
          .replaceAll(java.util.regex.Matcher.quoteReplacement(c.arg(2)))),
      Map.entry("default", c -> c.args().size() < 2 || c.arg(1).isEmpty() ? c.arg(0) : c.arg(1)),
      Map.entry("contains", c -> Boolean.toString(c.arg(1).contains(c.arg(0)))),
      Map.entry("hasPrefix", c -> Boolean.toString(c.arg(1).startsWith(c.arg(0)))),
      Map.entry("hasSuffix", c -> Boolean.toString(c.arg(1).endsWith(c.arg(0)))),
      Map.entry("repeat", c -> c.arg(1).repeat(Integer.parseInt(c.arg(0)))),
      Map.entry("substr", c -> substr(c.arg(2), Integer.parseInt(c.arg(0)), Integer.parseInt(c.arg(1)))),
      Map.entry("trunc", c -> trunc(c.arg(1), Integer.parseInt(c.arg(0)))),
      Map.entry("len", c -> Integer.toString(c.last().length())),
      Map.entry("printf", c -> String.format(Locale.ROOT, c.arg(0).replace("%v", "%s").replace("%q", "\"%s\""),
          c.args().subList(1, c.args().size()).toArray())));

  private static String title(String s) {
    StringBuilder out = new StringBuilder(s.length());
    boolean start = true;
    for (char ch : s.toCharArray()) {
      out.append(start ? Character.toTitleCase(ch) : ch);
      start = !Character.isLetterOrDigit(ch);
    }
    return out.toString();
  }

  private static String trim(String s, String cutset, boolean left, boolean right) {
    int from = 0;
    int to = s.length();
    while (left && from < to && cutset.indexOf(s.charAt(from)) >= 0) {
      from++;
    }
    while (right && to > from && cutset.indexOf(s.charAt(to - 1)) >= 0) {
      to--;
    }
    return s.substring(from, to);
  }

  /** Go's strings.Replace: the first {@code n} occurrences, all when {@code n < 0}. */
  private static String replace(String s, String old, String replacement, int n) {
    if (n < 0) {
      return s.replace(old, replacement);
    }
    String out = s;
    int from = 0;
    for (int i = 0; i < n; i++) {
      int at = out.indexOf(old, from);
      if (at < 0) {
        break;
      }
      out = out.substring(0, at) + replacement + out.substring(at + old.length());
      from = at + replacement.length();
    }
    return out;
  }

  private static String substr(String s, int start, int end) {
    if (start < 0) {
      return s.substring(0, Math.min(end, s.length()));
    }
    if (end < 0 || end > s.length()) {
      return start > s.length() ? "" : s.substring(start);
    }
    return start > end ? "" : s.substring(start, end);
  }

  private static String trunc(String s, int n) {
    if (n < 0) {
      return s.length() + n > 0 ? s.substring(s.length() + n) : s;
    }
    return n < s.length() ? s.substring(0, n) : s;
  }
}
