package io.fleetlens.logql.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import io.fleetlens.core.metrics.LabelMatcher;
import io.fleetlens.logql.parse.Expr.Binary;
import io.fleetlens.logql.parse.Expr.Grouping;
import io.fleetlens.logql.parse.Expr.LogQuery;
import io.fleetlens.logql.parse.Expr.LogRange;
import io.fleetlens.logql.parse.Expr.Matching;
import io.fleetlens.logql.parse.Expr.MetricQuery;
import io.fleetlens.logql.parse.Expr.Predicate;
import io.fleetlens.logql.parse.Expr.Stage;
import io.fleetlens.logql.parse.Token.Kind;

/**
 * Parses LogQL as Loki documents it: log queries (stream selector, line filters, parsers, label
 * filters, formatting, drop/keep, unwrap) and metric queries (range aggregations over log ranges,
 * vector aggregations, binary operators with {@code bool} and vector matching, {@code vector()},
 * {@code label_replace}). Errors carry Loki's text and position.
 */
public final class Parser {

  /** Range aggregations that count lines or bytes: no {@code unwrap}, no grouping. */
  public static final Set<String> LINE_RANGE_FUNCTIONS = Set.of("count_over_time", "rate", "bytes_over_time",
      "bytes_rate", "absent_over_time");
  /** Range aggregations over unwrapped values ({@code rate} is in both: with unwrap, per-second sum). */
  public static final Set<String> UNWRAP_RANGE_FUNCTIONS = Set.of("rate", "rate_counter", "sum_over_time",
      "avg_over_time", "min_over_time", "max_over_time", "first_over_time", "last_over_time", "stddev_over_time",
      "stdvar_over_time", "quantile_over_time", "absent_over_time");
  public static final Set<String> VECTOR_OPERATORS = Set.of("sum", "avg", "min", "max", "count", "stddev", "stdvar",
      "topk", "bottomk", "sort", "sort_desc");
  private static final Set<String> PARSERS = Set.of("json", "logfmt", "regexp", "pattern", "unpack");
  private static final Pattern NAMED_GROUP = Pattern.compile("\\(\\?P?<([a-zA-Z][a-zA-Z0-9_]*)>");
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

  private final String text;
  private final List<Token> tokens;
  private int at;

  private Parser(String text) {
    this.text = text;
    this.tokens = Lexer.tokens(text);
  }

  /** Parses a whole query. */
  public static Expr parse(String query) {
    Parser p = new Parser(query);
    Expr expr = p.expression(0);
    p.expect(Kind.EOF);
    return expr;
  }

  // ---- tokens

  private Token peek() {
    return tokens.get(at);
  }

  private Token peek(int ahead) {
    return tokens.get(Math.min(at + ahead, tokens.size() - 1));
  }

  /** The next token; at the end of the query, the end again (never past it). */
  private Token take() {
    Token t = tokens.get(at);
    if (at < tokens.size() - 1) {
      at++;
    }
    return t;
  }

  private Token expect(Kind kind) {
    if (!peek().is(kind)) {
      throw unexpected(kind.shown());
    }
    return take();
  }

  private void expectWord(String word) {
    if (!peek().isWord(word)) {
      throw unexpected(word);
    }
    take();
  }

  private ParseException unexpected(String expecting) {
    Token t = peek();
    return error(t, "syntax error: unexpected " + t.kind().shown() + (expecting == null ? "" : ", expecting "
        + expecting));
  }

  private ParseException unexpected(Token t, String expecting) {
    return error(t, "syntax error: unexpected " + t.kind().shown() + ", expecting " + expecting);
  }

  private ParseException error(Token at, String message) {
    int[] p = Lexer.position(text, at.offset());
    return new ParseException(p[0], p[1], message);
  }

  // ---- expressions

  private static int precedence(Token t) {
    if (t.isWord("or")) {
      return 1;
    }
    if (t.isWord("and") || t.isWord("unless")) {
      return 2;
    }
    return switch (t.kind()) {
      case DOUBLE_EQ, NEQ, GT, GTE, LT, LTE -> 3;
      case ADD, SUB -> 4;
      case MUL, DIV, MOD -> 5;
      case POW -> 6;
      default -> 0;
    };
  }

  /** Operators by precedence climbing; {@code ^} binds right. */
  private Expr expression(int minimum) {
    Expr left = unary();
    while (true) {
      Token op = peek();
      int prec = precedence(op);
      if (prec == 0 || prec < minimum) {
        return left;
      }
      take();
      String operator = op.is(Kind.IDENTIFIER) ? op.text() : op.kind().shown();
      boolean bool = false;
      if (peek().isWord("bool")) {
        if (prec != 3) {
          throw error(peek(), "syntax error: bool modifier can only be used on comparison operators");
        }
        take();
        bool = true;
      }
      Matching matching = matching();
      Expr right = expression(op.is(Kind.POW) ? prec : prec + 1);
      left = new Binary(operator, metric(left, op), metric(right, op), bool, matching);
    }
  }

  private MetricQuery metric(Expr e, Token near) {
    if (e instanceof MetricQuery m) {
      return m;
    }
    throw error(near, "syntax error: unexpected " + near.kind().shown()
        + ": a log query cannot be an operand; use a metric query such as count_over_time");
  }

  private Matching matching() {
    if (!peek().isWord("on") && !peek().isWord("ignoring")) {
      return Matching.NONE;
    }
    boolean on = take().text().equals("on");
    List<String> labels = labelList();
    String group = null;
    List<String> include = List.of();
    if (peek().isWord("group_left") || peek().isWord("group_right")) {
      group = take().text();
      if (peek().is(Kind.OPEN_PAREN)) {
        include = labelList();
      }
    }
    return new Matching(on, labels, group, include);
  }

  private Expr unary() {
    if (peek().is(Kind.SUB) || peek().is(Kind.ADD)) {
      Token sign = take();
      Expr inner = unary();
      if (sign.is(Kind.ADD)) {
        return inner;
      }
      if (inner instanceof Expr.Literal l) {
        return new Expr.Literal(-l.value());
      }
      return new Binary("*", new Expr.Literal(-1), metric(inner, sign), false, Matching.NONE);
    }
    return primary();
  }

  private Expr primary() {
    Token t = peek();
    switch (t.kind()) {
      case OPEN_BRACE -> {
        LogQuery log = logQuery();
        if (peek().is(Kind.OPEN_BRACKET)) {
          throw error(peek(), "syntax error: unexpected [: a log range is only allowed inside a range aggregation"
              + " such as count_over_time");
        }
        return log;
      }
      case OPEN_PAREN -> {
        take();
        Expr inner = expression(0);
        expect(Kind.CLOSE_PAREN);
        return inner;
      }
      case NUMBER -> {
        take();
        return new Expr.Literal(Double.parseDouble(t.text()));
      }
      case IDENTIFIER -> {
        String name = t.text();
        if (LINE_RANGE_FUNCTIONS.contains(name) || UNWRAP_RANGE_FUNCTIONS.contains(name)) {
          return rangeAggregation();
        }
        if (VECTOR_OPERATORS.contains(name)) {
          return vectorAggregation();
        }
        if (name.equals("vector")) {
          take();
          expect(Kind.OPEN_PAREN);
          double value = number();
          expect(Kind.CLOSE_PAREN);
          return new Expr.VectorLiteral(value);
        }
        if (name.equals("label_replace")) {
          return labelReplace();
        }
        throw unexpected(null);
      }
      default -> throw unexpected(null);
    }
  }

  private double number() {
    boolean negative = false;
    if (peek().is(Kind.SUB)) {
      take();
      negative = true;
    }
    double v = Double.parseDouble(expect(Kind.NUMBER).text());
    return negative ? -v : v;
  }

  private MetricQuery rangeAggregation() {
    Token fn = take();
    String name = fn.text();
    expect(Kind.OPEN_PAREN);
    Double parameter = null;
    if (name.equals("quantile_over_time")) {
      parameter = number();
      expect(Kind.COMMA);
    }
    LogRange range = logRange();
    expect(Kind.CLOSE_PAREN);
    Grouping grouping = grouping();
    boolean unwrapped = range.unwrap() != null;
    if (unwrapped && !UNWRAP_RANGE_FUNCTIONS.contains(name)) {
      throw error(fn, "invalid aggregation " + name + " with unwrap");
    }
    if (!unwrapped && !LINE_RANGE_FUNCTIONS.contains(name)) {
      throw error(fn, "invalid aggregation " + name + " without unwrap");
    }
    if (grouping != null && !unwrapped) {
      throw error(fn, "grouping not allowed for " + name + " aggregation");
    }
    return new Expr.RangeAggregation(name, range, parameter, grouping == null ? Grouping.NONE : grouping);
  }

  /** {@code {..} pipeline [5m] [offset 1h]}, or the older {@code {..} [5m] pipeline}. */
  private LogRange logRange() {
    if (!peek().is(Kind.OPEN_BRACE)) {
      throw unexpected("{");
    }
    LogQuery log = logQuery();
    long range = range();
    if (!peek().is(Kind.CLOSE_PAREN) && !peek().isWord("offset")) {
      List<Stage> stages = new ArrayList<>(log.stages());
      stages.addAll(pipeline());
      log = new LogQuery(log.selector(), stages);
    }
    long offset = 0;
    if (peek().isWord("offset")) {
      take();
      offset = Durations.millis(expect(Kind.DURATION).text());
    }
    return new LogRange(log, range, offset);
  }

  private long range() {
    expect(Kind.OPEN_BRACKET);
    Token d = peek();
    if (!d.is(Kind.DURATION)) {
      throw unexpected("DURATION");
    }
    take();
    expect(Kind.CLOSE_BRACKET);
    long ms = Durations.millis(d.text());
    if (ms <= 0) {
      throw error(d, "syntax error: a range must be longer than 0");
    }
    return ms;
  }

  private MetricQuery vectorAggregation() {
    Token op = take();
    Grouping grouping = grouping();
    expect(Kind.OPEN_PAREN);
    Double parameter = null;
    if (op.text().equals("topk") || op.text().equals("bottomk")) {
      Token k = peek();
      parameter = number();
      if (parameter < 1 || parameter != Math.rint(parameter)) {
        throw error(k, "invalid parameter for " + op.text() + ": " + k.text() + " (a whole number of at least 1)");
      }
      expect(Kind.COMMA);
    }
    MetricQuery inner = metric(expression(0), op);
    expect(Kind.CLOSE_PAREN);
    if (grouping == null) {
      grouping = grouping();
    } else if (peek().isWord("by") || peek().isWord("without")) {
      throw unexpected(")");
    }
    if ((op.text().equals("sort") || op.text().equals("sort_desc")) && grouping != null) {
      throw error(op, "grouping not allowed for " + op.text() + " aggregation");
    }
    return new Expr.VectorAggregation(op.text(), grouping == null ? Grouping.NONE : grouping, parameter, inner);
  }

  private Grouping grouping() {
    if (peek().isWord("by") || peek().isWord("without")) {
      boolean without = take().text().equals("without");
      return new Grouping(without, labelList());
    }
    return null;
  }

  private List<String> labelList() {
    expect(Kind.OPEN_PAREN);
    List<String> labels = new ArrayList<>();
    while (!peek().is(Kind.CLOSE_PAREN)) {
      labels.add(expect(Kind.IDENTIFIER).text());
      if (!peek().is(Kind.COMMA)) {
        break;
      }
      take();
    }
    expect(Kind.CLOSE_PAREN);
    return labels;
  }

  private MetricQuery labelReplace() {
    Token fn = take();
    expect(Kind.OPEN_PAREN);
    MetricQuery inner = metric(expression(0), fn);
    expect(Kind.COMMA);
    String destination = expect(Kind.STRING).text();
    expect(Kind.COMMA);
    String replacement = expect(Kind.STRING).text();
    expect(Kind.COMMA);
    String source = expect(Kind.STRING).text();
    expect(Kind.COMMA);
    Token regex = expect(Kind.STRING);
    expect(Kind.CLOSE_PAREN);
    if (!LABEL_NAME.matcher(destination).matches()) {
      throw error(fn, "invalid destination label name in label_replace(): " + destination);
    }
    compile(regex, regex.text());
    return new Expr.LabelReplace(inner, destination, replacement, source, regex.text());
  }

  // ---- log queries

  private LogQuery logQuery() {
    Token open = expect(Kind.OPEN_BRACE);
    List<LabelMatcher> selector = new ArrayList<>();
    while (!peek().is(Kind.CLOSE_BRACE)) {
      selector.add(matcher());
      if (!peek().is(Kind.COMMA)) {
        break;
      }
      take();
    }
    expect(Kind.CLOSE_BRACE);
    if (selector.stream().allMatch(LabelMatcher::matchesEmpty)) {
      throw error(open, "queries require at least one regexp or equality matcher that does not have an"
          + " empty-compatible value. For instance, app=~\".*\" does not meet this requirement, but app=~\".+\" will");
    }
    return new LogQuery(selector, pipeline());
  }

  private LabelMatcher matcher() {
    Token name = expect(Kind.IDENTIFIER);
    Token op = take();
    LabelMatcher.Type type = switch (op.kind()) {
      case EQ -> LabelMatcher.Type.EQUAL;
      case NEQ -> LabelMatcher.Type.NOT_EQUAL;
      case RE -> LabelMatcher.Type.REGEX;
      case NRE -> LabelMatcher.Type.NOT_REGEX;
      default -> {
        throw unexpected(op, "=, !=, =~ or !~");
      }
    };
    Token value = expect(Kind.STRING);
    try {
      return LabelMatcher.of(name.text(), type, value.text());
    } catch (IllegalArgumentException e) {
      throw error(value, e.getMessage());
    }
  }

  private List<Stage> pipeline() {
    List<Stage> stages = new ArrayList<>();
    while (true) {
      Token t = peek();
      switch (t.kind()) {
        case PIPE_EXACT, NEQ, PIPE_MATCH, NRE, PIPE_PATTERN, NOT_PATTERN -> stages.add(lineFilter());
        case PIPE -> {
          take();
          stages.add(namedStage(stages));
        }
        default -> {
          return stages;
        }
      }
    }
  }

  private Expr.LineFilter lineFilter() {
    Token op = take();
    Expr.LineOp kind = switch (op.kind()) {
      case PIPE_EXACT -> Expr.LineOp.CONTAINS;
      case NEQ -> Expr.LineOp.NOT_CONTAINS;
      case PIPE_MATCH -> Expr.LineOp.MATCHES;
      case NRE -> Expr.LineOp.NOT_MATCHES;
      case PIPE_PATTERN -> Expr.LineOp.PATTERN;
      default -> Expr.LineOp.NOT_PATTERN;
    };
    List<String> values = new ArrayList<>();
    do {
      Token value = expect(Kind.STRING);
      if (kind == Expr.LineOp.MATCHES || kind == Expr.LineOp.NOT_MATCHES) {
        compile(value, value.text());
      }
      if (kind == Expr.LineOp.PATTERN || kind == Expr.LineOp.NOT_PATTERN) {
        try {
          LinePattern.of(value.text());
        } catch (IllegalArgumentException e) {
          throw error(value, "invalid pattern: " + e.getMessage());
        }
      }
      values.add(value.text());
    } while (peek().isWord("or") && peek(1).is(Kind.STRING) && take() != null);
    return new Expr.LineFilter(kind, values);
  }

  private Pattern compile(Token at, String regex) {
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw error(at, "error parsing regexp: " + e.getDescription() + ": `" + regex + "`");
    }
  }

  private Stage namedStage(List<Stage> before) {
    Token t = peek();
    if (t.is(Kind.OPEN_PAREN)) {
      return new Expr.LabelFilter(labelFilterOr());
    }
    if (!t.is(Kind.IDENTIFIER)) {
      throw unexpected("a parser, a label filter, line_format, label_format, drop, keep, decolorize or unwrap");
    }
    boolean unwrapped = before.stream().anyMatch(Expr.Unwrap.class::isInstance);
    String word = t.text();
    boolean stageWord = PARSERS.contains(word) || Set.of("line_format", "label_format", "drop", "keep", "decolorize",
        "unwrap").contains(word);
    if (stageWord && !isComparison(1)) {
      if (unwrapped) {
        throw error(t, "syntax error: only label filters may follow unwrap");
      }
      take();
      return switch (word) {
        case "json" -> new Expr.Json(extractions());
        case "logfmt" -> logfmt();
        case "regexp" -> regexp();
        case "pattern" -> pattern();
        case "unpack" -> new Expr.Unpack();
        case "line_format" -> new Expr.LineFormat(expect(Kind.STRING).text());
        case "label_format" -> labelFormat();
        case "drop" -> new Expr.Drop(labelsToKeepOrDrop());
        case "keep" -> new Expr.Keep(labelsToKeepOrDrop());
        case "decolorize" -> new Expr.Decolorize();
        default -> unwrap();
      };
    }
    return new Expr.LabelFilter(labelFilterOr());
  }

  /** Whether the token {@code ahead} is a comparison operator: then the word before it is a label, not a stage. */
  private boolean isComparison(int ahead) {
    return switch (peek(ahead).kind()) {
      case EQ, DOUBLE_EQ, NEQ, RE, NRE, GT, GTE, LT, LTE -> true;
      default -> false;
    };
  }

  /** {@code a="x.y", b, c}: none when the stage ends at once. */
  private List<Expr.Extraction> extractions() {
    List<Expr.Extraction> out = new ArrayList<>();
    if (!peek().is(Kind.IDENTIFIER) || peek().isWord("offset") || isComparison(1) && !peek(1).is(Kind.EQ)) {
      return out;
    }
    do {
      String label = expect(Kind.IDENTIFIER).text();
      String path = label;
      if (peek().is(Kind.EQ)) {
        take();
        path = expect(Kind.STRING).text();
      }
      out.add(new Expr.Extraction(label, path));
    } while (peek().is(Kind.COMMA) && take() != null);
    return out;
  }

  private Expr.Logfmt logfmt() {
    boolean strict = false;
    boolean keepEmpty = false;
    while (peek().is(Kind.SUB) && peek(1).is(Kind.SUB)) {
      take();
      take();
      Token flag = expect(Kind.IDENTIFIER);
      if (flag.text().equals("strict")) {
        strict = true;
      } else if (flag.text().equals("keep") && peek().is(Kind.SUB) && peek(1).isWord("empty")) {
        take();
        take();
        keepEmpty = true;
      } else {
        throw error(flag, "syntax error: unknown logfmt flag --" + flag.text() + " (--strict or --keep-empty)");
      }
    }
    return new Expr.Logfmt(strict, keepEmpty, extractions());
  }

  private Expr.Regexp regexp() {
    Token source = expect(Kind.STRING);
    String regex = source.text();
    List<String> names = new ArrayList<>();
    Matcher m = NAMED_GROUP.matcher(regex);
    while (m.find()) {
      names.add(m.group(1));
    }
    if (names.isEmpty()) {
      throw error(source, "invalid regexp parser: at least one named capture group (?P<name>...) is required");
    }
    // Go writes named groups (?P<name>...); Java reads (?<name>...)
    Pattern pattern = compile(source, regex.replace("(?P<", "(?<"));
    return new Expr.Regexp(regex, pattern, names);
  }

  private Expr.PatternParser pattern() {
    Token source = expect(Kind.STRING);
    try {
      LinePattern pattern = LinePattern.of(source.text());
      if (pattern.names().isEmpty()) {
        throw new IllegalArgumentException("at least one named capture is required");
      }
      return new Expr.PatternParser(source.text(), pattern);
    } catch (IllegalArgumentException e) {
      throw error(source, "invalid pattern parser: " + e.getMessage());
    }
  }

  private Expr.LabelFormat labelFormat() {
    List<Expr.Rename> renames = new ArrayList<>();
    do {
      String destination = expect(Kind.IDENTIFIER).text();
      expect(Kind.EQ);
      Token source = take();
      if (source.is(Kind.IDENTIFIER)) {
        renames.add(new Expr.Rename(destination, source.text(), false));
      } else if (source.is(Kind.STRING)) {
        renames.add(new Expr.Rename(destination, source.text(), true));
      } else {
        throw unexpected(source, "IDENTIFIER or STRING");
      }
    } while (peek().is(Kind.COMMA) && take() != null);
    return new Expr.LabelFormat(renames);
  }

  private List<LabelMatcher> labelsToKeepOrDrop() {
    List<LabelMatcher> out = new ArrayList<>();
    do {
      if (peek().is(Kind.IDENTIFIER) && !isComparison(1)) {
        out.add(LabelMatcher.of(take().text(), LabelMatcher.Type.REGEX, ".*"));
      } else {
        out.add(matcher());
      }
    } while (peek().is(Kind.COMMA) && take() != null);
    return out;
  }

  private Expr.Unwrap unwrap() {
    Expr.Conversion conversion = Expr.Conversion.NUMBER;
    if (peek(1).is(Kind.OPEN_PAREN)) {
      Token fn = take();
      conversion = switch (fn.text()) {
        case "duration" -> Expr.Conversion.DURATION;
        case "duration_seconds" -> Expr.Conversion.DURATION_SECONDS;
        case "bytes" -> Expr.Conversion.BYTES;
        default -> throw error(fn, "syntax error: unexpected " + fn.text()
            + ", expecting duration, duration_seconds or bytes");
      };
      take();
      String label = expect(Kind.IDENTIFIER).text();
      expect(Kind.CLOSE_PAREN);
      return new Expr.Unwrap(label, conversion);
    }
    return new Expr.Unwrap(expect(Kind.IDENTIFIER).text(), conversion);
  }

  // ---- label filters

  private Predicate labelFilterOr() {
    Predicate left = labelFilterAnd();
    while (peek().isWord("or")) {
      take();
      left = new Expr.Or(left, labelFilterAnd());
    }
    return left;
  }

  /** {@code and}, a comma, or just a space between two comparisons. */
  private Predicate labelFilterAnd() {
    Predicate left = labelFilterUnary();
    while (true) {
      if (peek().isWord("and") || peek().is(Kind.COMMA)) {
        take();
      } else if (!(peek().is(Kind.IDENTIFIER) && !peek().isWord("or") && isComparison(1))) {
        return left;
      }
      left = new Expr.And(left, labelFilterUnary());
    }
  }

  private Predicate labelFilterUnary() {
    if (peek().is(Kind.OPEN_PAREN)) {
      take();
      Predicate inner = labelFilterOr();
      expect(Kind.CLOSE_PAREN);
      return inner;
    }
    Token name = expect(Kind.IDENTIFIER);
    Token op = take();
    Token value = peek();
    boolean negative = false;
    if (value.is(Kind.SUB)) {
      take();
      negative = true;
      value = peek();
    }
    if (value.is(Kind.STRING) && !negative) {
      take();
      LabelMatcher.Type type = switch (op.kind()) {
        case EQ, DOUBLE_EQ -> LabelMatcher.Type.EQUAL;
        case NEQ -> LabelMatcher.Type.NOT_EQUAL;
        case RE -> LabelMatcher.Type.REGEX;
        case NRE -> LabelMatcher.Type.NOT_REGEX;
        default -> throw error(op, "syntax error: unexpected " + op.kind().shown()
            + ", expecting =, !=, =~ or !~ before a string");
      };
      try {
        return new Expr.StringMatch(LabelMatcher.of(name.text(), type, value.text()));
      } catch (IllegalArgumentException e) {
        throw error(value, e.getMessage());
      }
    }
    Expr.Compare compare = switch (op.kind()) {
      case EQ, DOUBLE_EQ -> Expr.Compare.EQ;
      case NEQ -> Expr.Compare.NEQ;
      case GT -> Expr.Compare.GT;
      case GTE -> Expr.Compare.GTE;
      case LT -> Expr.Compare.LT;
      case LTE -> Expr.Compare.LTE;
      default -> {
        throw unexpected(op, "=, ==, !=, >, >=, < or <=");
      }
    };
    take();
    double sign = negative ? -1 : 1;
    return switch (value.kind()) {
      case NUMBER -> new Expr.NumberCompare(name.text(), compare, sign * Double.parseDouble(value.text()),
          Expr.Unit.NUMBER);
      case DURATION -> new Expr.NumberCompare(name.text(), compare, sign * Durations.seconds(value.text()),
          Expr.Unit.DURATION);
      case BYTES -> new Expr.NumberCompare(name.text(), compare, sign * Bytes.parse(value.text()), Expr.Unit.BYTES);
      default -> {
        throw unexpected(value, "STRING, NUMBER, DURATION or BYTES");
      }
    };
  }
}
