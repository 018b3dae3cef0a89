package io.fleetlens.alerting.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The part of Go's text/template that Prometheus rule labels and annotations use: text with
 * {@code {{ ... }}} actions holding a pipeline of {@code $labels.name}, {@code $value},
 * {@code $externalLabels.name}, {@code $externalURL} (or {@code .Labels.name}, {@code .Value}...),
 * string and number literals, and Prometheus' functions ({@code humanize}, {@code humanize1024},
 * {@code humanizePercentage}, {@code humanizeDuration}, {@code printf}, {@code index},
 * {@code toUpper}, {@code toLower}, {@code title}); {@code {{- -}}} trim spaces and
 * {@code {{/* *}/}} are comments. A missing label prints as nothing, as Prometheus sets
 * {@code missingkey=zero}. Control structures ({@code if}, {@code range}) and {@code query} are
 * refused when the rule is loaded, so a rule never fails later on a template it could not run.
 * Hand-written: no Java library runs Go templates.
 */
public final class AlertTemplate {

  /** What a template can refer to when it is expanded for one alert. */
  public record Data(Map<String, String> labels, double value, Map<String, String> externalLabels,
      String externalUrl) {
  }

  private sealed interface Part permits Literal, Action {
  }

  private record Literal(String text) implements Part {
  }

  private record Action(List<Command> pipeline) implements Part {
  }

  /** A function call (a name and arguments) or, with a null name, a single operand. */
  private record Command(String function, List<Operand> args) {
  }

  private sealed interface Operand permits Var, Str, Num {
  }

  /** {@code $labels.x}, {@code $value}, {@code .Labels.x}; {@code field} is null for the whole variable. */
  private record Var(String name, String field) implements Operand {
  }

  private record Str(String value) implements Operand {
  }

  private record Num(double value) implements Operand {
  }

  private static final List<String> FUNCTIONS = List.of("humanize", "humanize1024", "humanizePercentage",
      "humanizeDuration", "printf", "index", "toUpper", "toLower", "title");

  private final List<Part> parts;

  private AlertTemplate(List<Part> parts) {
    this.parts = parts;
  }

  /** Parses a template; a problem is an {@link IllegalArgumentException} saying what and where. */
  public static AlertTemplate parse(String text) {
    List<Part> parts = new ArrayList<>();
    int p = 0;
    StringBuilder literal = new StringBuilder();
    while (p < text.length()) {
      int open = text.indexOf("{{", p);
      if (open < 0) {
        literal.append(text, p, text.length());
        break;
      }
      literal.append(text, p, open);
      int close = text.indexOf("}}", open + 2);
      if (close < 0) {
        throw new IllegalArgumentException("unclosed action at offset " + open + ": missing \"}}\"");
      }
      String inside = text.substring(open + 2, close);
      if (inside.startsWith("-") && (inside.length() == 1 || Character.isWhitespace(inside.charAt(1)))) {
        trimTrailing(literal);
        inside = inside.substring(1);
      }
      p = close + 2;
      if (inside.endsWith("-") && inside.length() > 1 && Character.isWhitespace(inside.charAt(inside.length() - 2))) {
        inside = inside.substring(0, inside.length() - 1);
        while (p < text.length() && Character.isWhitespace(text.charAt(p))) {
          p++;
        }
      }
      if (!literal.isEmpty()) {
        parts.add(new Literal(literal.toString()));
        literal.setLength(0);
      }
      String action = inside.strip();
      if (action.startsWith("/*")) {
        if (!action.endsWith("*/")) {
          throw new IllegalArgumentException("unclosed comment at offset " + open);
        }
        continue;
      }
      parts.add(new Action(pipeline(action, open)));
    }
    if (!literal.isEmpty()) {
      parts.add(new Literal(literal.toString()));
    }
    return new AlertTemplate(List.copyOf(parts));
  }

  private static void trimTrailing(StringBuilder s) {
    while (!s.isEmpty() && Character.isWhitespace(s.charAt(s.length() - 1))) {
      s.setLength(s.length() - 1);
    }
  }

  private static List<Command> pipeline(String action, int offset) {
    if (action.isEmpty()) {
      throw new IllegalArgumentException("missing value for command at offset " + offset);
    }
    List<Command> commands = new ArrayList<>();
    for (List<String> words : splitCommands(tokens(action, offset), offset)) {
      commands.add(command(words, offset));
    }
    return commands;
  }

  private static Command command(List<String> words, int offset) {
    String first = words.getFirst();
    if (FUNCTIONS.contains(first)) {
      List<Operand> args = new ArrayList<>();
      for (String w : words.subList(1, words.size())) {
        args.add(operand(w, offset));
      }
      return new Command(first, args);
    }
    if (Character.isLetter(first.charAt(0))) {
      if (List.of("if", "else", "end", "range", "with", "define", "template", "block", "define").contains(first)) {
        throw new IllegalArgumentException("{{ " + first + " }} is not supported at offset " + offset
            + " (only values and functions)");
      }
      throw new IllegalArgumentException("function \"" + first + "\" not defined at offset " + offset);
    }
    if (words.size() > 1) {
      throw new IllegalArgumentException("can't give argument to non-function " + first + " at offset " + offset);
    }
    return new Command(null, List.of(operand(first, offset)));
  }

  private static Operand operand(String w, int offset) {
    if (w.startsWith("\"") || w.startsWith("`")) {
      return new Str(w.substring(1, w.length() - 1));
    }
    if (w.startsWith("$") || w.startsWith(".")) {
      return variable(w, offset);
    }
    try {
      return new Num(Double.parseDouble(w));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("unexpected \"" + w + "\" at offset " + offset);
    }
  }

  private static Var variable(String w, int offset) {
    String name;
    String rest;
    if (w.startsWith("$")) {
      int dot = w.indexOf('.');
      name = dot < 0 ? w.substring(1) : w.substring(1, dot);
      rest = dot < 0 ? null : w.substring(dot + 1);
    } else {
      String body = w.substring(1);
      int dot = body.indexOf('.');
      String field = dot < 0 ? body : body.substring(0, dot);
      name = switch (field) {
        case "Labels" -> "labels";
        case "Value" -> "value";
        case "ExternalLabels" -> "externalLabels";
        case "ExternalURL" -> "externalURL";
        default -> throw new IllegalArgumentException("can't evaluate field " + field + " at offset " + offset);
      };
      rest = dot < 0 ? null : body.substring(dot + 1);
    }
    switch (name) {
      case "labels", "externalLabels" -> {
      }
      case "value", "externalURL" -> {
        if (rest != null) {
          throw new IllegalArgumentException("$" + name + " has no field " + rest + " at offset " + offset);
        }
      }
      default -> throw new IllegalArgumentException("undefined variable \"$" + name + "\" at offset " + offset);
    }
    return new Var(name, rest);
  }

  private static List<String> tokens(String action, int offset) {
    List<String> out = new ArrayList<>();
    int i = 0;
    while (i < action.length()) {
      char c = action.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '|') {
        out.add("|");
        i++;
      } else if (c == '"' || c == '`') {
        int j = i + 1;
        StringBuilder s = new StringBuilder();
        while (j < action.length() && action.charAt(j) != c) {
          if (c == '"' && action.charAt(j) == '\\' && j + 1 < action.length()) {
            char e = action.charAt(++j);
            s.append(switch (e) {
              case 'n' -> '\n';
              case 't' -> '\t';
              default -> e;
            });
          } else {
            s.append(action.charAt(j));
          }
          j++;
        }
        if (j >= action.length()) {
          throw new IllegalArgumentException("unterminated quoted string at offset " + offset);
        }
        out.add(c + s.toString() + c);
        i = j + 1;
      } else if (c == '(' || c == ')') {
        throw new IllegalArgumentException("parenthesised pipelines are not supported at offset " + offset);
      } else {
        int j = i;
        while (j < action.length() && !Character.isWhitespace(action.charAt(j)) && action.charAt(j) != '|') {
          j++;
        }
        out.add(action.substring(i, j));
        i = j;
      }
    }
    return out;
  }

  private static List<List<String>> splitCommands(List<String> tokens, int offset) {
    List<List<String>> commands = new ArrayList<>();
    List<String> current = new ArrayList<>();
    for (String t : tokens) {
      if (t.equals("|")) {
        if (current.isEmpty()) {
          throw new IllegalArgumentException("missing command before \"|\" at offset " + offset);
        }
        commands.add(current);
        current = new ArrayList<>();
      } else {
        current.add(t);
      }
    }
    if (current.isEmpty()) {
      throw new IllegalArgumentException("missing command after \"|\" at offset " + offset);
    }
    commands.add(current);
    return commands;
  }

  /** The text for one alert; a value that cannot be formatted gives Prometheus' error text instead. */
  public String expand(Data data) {
    StringBuilder out = new StringBuilder();
    try {
      for (Part part : parts) {
        switch (part) {
          case Literal l -> out.append(l.text());
          case Action a -> out.append(print(run(a.pipeline(), data)));
        }
      }
    } catch (IllegalArgumentException e) {
      return "<error expanding template: " + e.getMessage() + ">";
    }
    return out.toString();
  }

  private static Object run(List<Command> pipeline, Object data) {
    Object last = null;
    boolean first = true;
    for (Command c : pipeline) {
      List<Object> args = new ArrayList<>();
      for (Operand o : c.args()) {
        args.add(value(o, (Data) data));
      }
      if (!first) {
        args.add(last);
      }
      first = false;
      last = c.function() == null ? args.getFirst() : TemplateFunctions.call(c.function(), args);
    }
    return last;
  }

  private static Object value(Operand o, Data data) {
    return switch (o) {
      case Str s -> s.value();
      case Num n -> n.value();
      case Var v -> switch (v.name()) {
        case "value" -> data.value();
        case "externalURL" -> data.externalUrl();
        case "labels" -> v.field() == null ? data.labels() : data.labels().getOrDefault(v.field(), "");
        default -> v.field() == null ? data.externalLabels() : data.externalLabels().getOrDefault(v.field(), "");
      };
    };
  }

  static String print(Object v) {
    if (v instanceof Double d) {
      return GoFormat.value(d);
    }
    if (v instanceof Map<?, ?> m) {
      StringBuilder s = new StringBuilder("map[");
      new java.util.TreeMap<>(m).forEach((k, val) -> s.append(s.length() > 4 ? " " : "").append(k).append(':')
          .append(val));
      return s.append(']').toString();
    }
    return v == null ? "" : v.toString();
  }
}
