package io.fleetlens.logql.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fleetlens.core.metrics.LabelMatcher;
import io.fleetlens.logql.parse.Bytes;
import io.fleetlens.logql.parse.Durations;
import io.fleetlens.logql.parse.Expr;
import io.fleetlens.logql.parse.LinePattern;

/**
 * A log pipeline compiled once per query and run on each line: line filters, parsers, label
 * filters, formatting, drop and keep, as Loki runs them. A parser that fails sets
 * {@code __error__} (and {@code __error_details__}) instead of dropping the line, so
 * {@code | __error__=""} can choose what to keep; numeric label filters pass lines that already
 * carry an error.
 *
 * <p>A line's stored fields (its {@link LogEntry#metadata()}) are labels only where the query
 * names them: in a label filter, a template, {@code label_format}, {@code keep}, {@code unwrap} or
 * the grouping of the metric query around it. So {@code {app="cart"} | status >= 500} works without
 * a parser, while a query that names no field keeps one stream (and one series) per stream.
 */
public final class Pipeline {

  public static final String ERROR = "__error__";
  public static final String ERROR_DETAILS = "__error_details__";
  static final String JSON_ERROR = "JSONParserErr";
  static final String LOGFMT_ERROR = "LogfmtParserErr";
  static final String LABEL_FILTER_ERROR = "LabelFilterErr";
  static final String TEMPLATE_ERROR = "TemplateFormatErr";

  private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;]*[a-zA-Z]");

  /** What a line became: its text and its labels, stream labels first. */
  public record Line(String text, Map<String, String> labels) {
  }

  private interface Step {
    /** The line after this stage, or null when the stage drops it. */
    String apply(String line, long timestampNanos, Map<String, String> labels, java.util.Set<String> stream);
  }

  private static final Pattern TEMPLATE_FIELD = Pattern.compile("\\.([A-Za-z_][A-Za-z0-9_]*)");

  private final List<Step> steps = new ArrayList<>();
  private final java.util.Set<String> named = new java.util.HashSet<>();

  /** Compiles the stages; an {@link IllegalArgumentException} says what cannot run (a bad template). */
  public Pipeline(List<Expr.Stage> stages) {
    this(stages, java.util.Set.of());
  }

  /** ... with {@code grouped}: the labels the metric query around the stages groups or matches by. */
  public Pipeline(List<Expr.Stage> stages, java.util.Set<String> grouped) {
    for (Expr.Stage stage : stages) {
      steps.add(step(stage));
      names(stage, named);
    }
    named.addAll(grouped);
  }

  /** The label names a stage reads. */
  private static void names(Expr.Stage stage, java.util.Set<String> into) {
    switch (stage) {
      case Expr.LabelFilter f -> names(f.predicate(), into);
      case Expr.LineFormat f -> templateNames(f.template(), into);
      case Expr.LabelFormat f -> f.renames().forEach(r -> {
        if (r.template()) {
          templateNames(r.source(), into);
        } else {
          into.add(r.source());
        }
      });
      case Expr.Keep k -> k.labels().forEach(m -> into.add(m.name()));
      case Expr.Unwrap u -> into.add(u.label());
      default -> {
      }
    }
  }

  private static void names(Expr.Predicate p, java.util.Set<String> into) {
    switch (p) {
      case Expr.And a -> {
        names(a.left(), into);
        names(a.right(), into);
      }
      case Expr.Or o -> {
        names(o.left(), into);
        names(o.right(), into);
      }
      case Expr.StringMatch s -> into.add(s.matcher().name());
      case Expr.NumberCompare n -> into.add(n.label());
    }
  }

  private static void templateNames(String template, java.util.Set<String> into) {
    Matcher m = TEMPLATE_FIELD.matcher(template);
    while (m.find()) {
      into.add(m.group(1));
    }
  }

  /** Runs the pipeline on one entry: its line and labels afterwards, or null when a stage dropped it. */
  public Line process(LogEntry entry) {
    Map<String, String> labels = new LinkedHashMap<>();
    entry.stream().forEach(labels::put);
    java.util.Set<String> stream = new java.util.HashSet<>(labels.keySet());
    if (!named.isEmpty()) {
      entry.metadata().forEach((k, v) -> {
        String name = Fields.sanitize(k);
        if (named.contains(name)) {
          labels.putIfAbsent(name, v);
        }
      });
    }
    String line = entry.line();
    for (Step step : steps) {
      line = step.apply(line, entry.timestampNanos(), labels, stream);
      if (line == null) {
        return null;
      }
    }
    return new Line(line, labels);
  }

  private static Step step(Expr.Stage stage) {
    return switch (stage) {
      case Expr.LineFilter f -> lineFilter(f);
      case Expr.Json j -> (line, t, labels, stream) -> {
        Fields.json(line, j.extractions(), labels, stream);
        return line;
      };
      case Expr.Logfmt l -> (line, t, labels, stream) -> {
        Fields.logfmt(line, l, labels, stream);
        return line;
      };
      case Expr.Regexp r -> (line, t, labels, stream) -> {
        Matcher m = r.pattern().matcher(line);
        if (m.find()) {
          for (String name : r.names()) {
            if (m.group(name) != null) {
              Fields.put(labels, stream, name, m.group(name));
            }
          }
        }
        return line;
      };
      case Expr.PatternParser p -> (line, t, labels, stream) -> {
        Map<String, String> captured = p.pattern().match(line);
        if (captured != null) {
          captured.forEach((k, v) -> Fields.put(labels, stream, k, v));
        }
        return line;
      };
      case Expr.Unpack u -> (line, t, labels, stream) -> Fields.unpack(line, labels, stream);
      case Expr.LabelFilter f -> (line, t, labels, stream) -> test(f.predicate(), labels) ? line : null;
      case Expr.LineFormat f -> lineFormat(Template.of(f.template()));
      case Expr.LabelFormat f -> labelFormat(f);
      case Expr.Drop d -> (line, t, labels, stream) -> {
        labels.entrySet().removeIf(e -> d.labels().stream().anyMatch(m -> m.name().equals(e.getKey())
            && m.matches(e.getValue())));
        return line;
      };
      case Expr.Keep k -> (line, t, labels, stream) -> {
        labels.entrySet().removeIf(e -> k.labels().stream().noneMatch(m -> m.name().equals(e.getKey())
            && m.matches(e.getValue())));
        return line;
      };
      case Expr.Decolorize d -> (line, t, labels, stream) -> ANSI.matcher(line).replaceAll("");
      case Expr.Unwrap u -> (line, t, labels, stream) -> line;
    };
  }

  private static Step lineFilter(Expr.LineFilter f) {
    List<Pattern> regexes = new ArrayList<>();
    List<LinePattern> patterns = new ArrayList<>();
    for (String v : f.values()) {
      if (f.op() == Expr.LineOp.MATCHES || f.op() == Expr.LineOp.NOT_MATCHES) {
        regexes.add(Pattern.compile(v));
      }
      if (f.op() == Expr.LineOp.PATTERN || f.op() == Expr.LineOp.NOT_PATTERN) {
        patterns.add(LinePattern.of(v));
      }
    }
    return (line, t, labels, stream) -> {
      boolean any = switch (f.op()) {
        case CONTAINS, NOT_CONTAINS -> f.values().stream().anyMatch(line::contains);
        case MATCHES, NOT_MATCHES -> regexes.stream().anyMatch(p -> p.matcher(line).find());
        case PATTERN, NOT_PATTERN -> patterns.stream().anyMatch(p -> p.match(line) != null);
      };
      return any != f.op().negated() ? line : null;
    };
  }

  private static Step lineFormat(Template template) {
    return (line, t, labels, stream) -> {
      try {
        return template.render(new Template.Data(labels, line, t));
      } catch (RuntimeException e) {
        error(labels, TEMPLATE_ERROR, e.getMessage());
        return line;
      }
    };
  }

  private static Step labelFormat(Expr.LabelFormat f) {
    List<Template> templates = new ArrayList<>();
    for (Expr.Rename r : f.renames()) {
      templates.add(r.template() ? Template.of(r.source()) : null);
    }
    return (line, t, labels, stream) -> {
      Map<String, String> before = new LinkedHashMap<>(labels);
      for (int i = 0; i < f.renames().size(); i++) {
        Expr.Rename r = f.renames().get(i);
        if (r.template()) {
          try {
            labels.put(r.destination(), templates.get(i).render(new Template.Data(before, line, t)));
          } catch (RuntimeException e) {
            error(labels, TEMPLATE_ERROR, e.getMessage());
          }
        } else {
          String value = before.get(r.source());
          labels.remove(r.source());
          if (value != null) {
            labels.put(r.destination(), value);
          }
        }
      }
      return line;
    };
  }

  static void error(Map<String, String> labels, String error, String details) {
    if (!labels.containsKey(ERROR)) {
      labels.put(ERROR, error);
      labels.put(ERROR_DETAILS, details == null ? "" : details);
    }
  }

  /** A label filter over the line's labels, as Loki evaluates it. */
  static boolean test(Expr.Predicate p, Map<String, String> labels) {
    return switch (p) {
      case Expr.And a -> test(a.left(), labels) && test(a.right(), labels);
      case Expr.Or o -> test(o.left(), labels) || test(o.right(), labels);
      case Expr.StringMatch s -> matches(s.matcher(), labels);
      case Expr.NumberCompare n -> compare(n, labels);
    };
  }

  private static boolean matches(LabelMatcher m, Map<String, String> labels) {
    return m.matches(labels.getOrDefault(m.name(), ""));
  }

  private static boolean compare(Expr.NumberCompare n, Map<String, String> labels) {
    if (labels.containsKey(ERROR)) {
      return true; // only string matchers filter lines that carry an error
    }
    String text = labels.get(n.label());
    if (text == null) {
      return false;
    }
    double value;
    try {
      value = switch (n.unit()) {
        case NUMBER -> Double.parseDouble(text.strip());
        case DURATION -> Durations.seconds(text.strip());
        case BYTES -> Bytes.parse(text);
      };
    } catch (IllegalArgumentException e) {
      error(labels, LABEL_FILTER_ERROR, "cannot read " + n.label() + "=\"" + text + "\" as a "
          + n.unit().name().toLowerCase(java.util.Locale.ROOT));
      return true;
    }
    return n.op().test(value, n.value());
  }
}
