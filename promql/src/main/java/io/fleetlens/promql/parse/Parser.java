package io.fleetlens.promql.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.fleetlens.core.metrics.LabelMatcher;
import io.fleetlens.core.metrics.Labels;
import io.fleetlens.promql.parse.Expr.Type;
import io.fleetlens.promql.parse.Lexer.Kind;
import io.fleetlens.promql.parse.Lexer.Token;

/**
 * PromQL text to {@link Expr}, with the parser's type checks: what each function, operator and
 * modifier accepts. Precedence, lowest first: {@code or}; {@code and unless}; comparisons;
 * {@code + -}; {@code * / % atan2}; {@code ^} (right-associative); unary minus binds like
 * {@code *} but below {@code ^}, so {@code -2^2} is -4.
 */
public final class Parser {

  public static final Set<String> AGGREGATIONS = Set.of("sum", "avg", "count", "min", "max", "group", "stddev",
      "stdvar", "topk", "bottomk", "quantile", "count_values", "limitk", "limit_ratio");
  private static final Set<String> PARAMETERIZED = Set.of("topk", "bottomk", "quantile", "count_values", "limitk",
      "limit_ratio");

  private final String input;
  private final List<Token> tokens;
  private final java.util.IdentityHashMap<Expr, Integer> offsets = new java.util.IdentityHashMap<>();
  private int i;

  private Parser(String input) {
    this.input = input;
    this.tokens = Lexer.tokenize(input);
  }

  public static Expr parse(String query) {
    return parseQuery(query).expr();
  }

  /** The expression with where its parts start, for annotations that point at them. */
  public static ParsedQuery parseQuery(String query) {
    Parser parser = new Parser(query);
    if (parser.peek().kind() == Kind.EOF) {
      throw new ParseException("1:1: parse error: no expression found in input");
    }
    Expr expr = parser.expression(0);
    if (parser.peek().kind() != Kind.EOF) {
      throw parser.error(parser.peek(), "unexpected " + parser.describe(parser.peek()));
    }
    return new ParsedQuery(query, expr, parser.offsets);
  }

  static String position(String input, int at) {
    return ParsedQuery.lineColumn(input, at) + ": parse error";
  }


  // ---- binary operators by precedence

  private static int precedence(Token t) {
    if (t.kind() == Kind.OP) {
      return switch (t.text()) {
        case "==", "!=", ">", "<", ">=", "<=" -> 3;
        case "+", "-" -> 4;
        case "*", "/", "%" -> 5;
        case "^" -> 6;
        default -> -1;
      };
    }
    if (t.kind() == Kind.IDENT) {
      return switch (t.text().toLowerCase(Locale.ROOT)) {
        case "or" -> 1;
        case "and", "unless" -> 2;
        case "atan2" -> 5;
        default -> -1;
      };
    }
    return -1;
  }

  /**
   * How deep an expression may nest (parentheses, operators, calls) or chain operators: far beyond
   * any real query, and low enough that neither parsing nor evaluation can run out of stack.
   */
  static final int MAX_DEPTH = 100;

  private int depth;

  private Expr expression(int minPrecedence) {
    if (++depth > MAX_DEPTH) {
      throw error(peek(), "expression nests or chains more than " + MAX_DEPTH + " levels deep");
    }
    try {
      return operators(minPrecedence);
    } finally {
      depth--;
    }
  }

  private Expr operators(int minPrecedence) {
    Expr lhs = unary();
    int chained = 0;
    while (true) {
      Token op = peek();
      int prec = precedence(op);
      if (prec < 0 || prec < minPrecedence) {
        return lhs;
      }
      next();
      String name = op.kind() == Kind.IDENT ? op.text().toLowerCase(Locale.ROOT) : op.text();
      boolean returnBool = false;
      if (peekIdent("bool")) {
        next();
        returnBool = true;
      }
      Expr.VectorMatching matching = null;
      List<String> labels = null;
      boolean on = false;
      if (peekIdent("on") || peekIdent("ignoring")) {
        on = next().text().equalsIgnoreCase("on");
        labels = labelList();
      }
      Expr.VectorMatching.Cardinality cardinality = null;
      List<String> include = List.of();
      if (peekIdent("group_left") || peekIdent("group_right")) {
        Token group = next();
        if (labels == null) {
          throw error(group, "unexpected <" + group.text() + ">");
        }
        cardinality = group.text().equalsIgnoreCase("group_left") ? Expr.VectorMatching.Cardinality.MANY_TO_ONE
            : Expr.VectorMatching.Cardinality.ONE_TO_MANY;
        if (peek().kind() == Kind.LPAREN) {
          include = labelList();
        }
      }
      int nextMin = name.equals("^") ? prec : prec + 1;
      if (depth + ++chained > MAX_DEPTH) {
        throw error(op, "expression nests or chains more than " + MAX_DEPTH + " levels deep");
      }
      Expr rhs = expression(nextMin);
      if (labels != null || cardinality != null) {
        matching = new Expr.VectorMatching(cardinality == null ? Expr.VectorMatching.Cardinality.ONE_TO_ONE : cardinality,
            labels == null ? List.of() : labels, on, include);
      }
      lhs = binary(op, name, lhs, rhs, returnBool, matching);
    }
  }

  private Expr binary(Token at, String op, Expr lhs, Expr rhs, boolean returnBool, Expr.VectorMatching matching) {
    Expr.Binary b = new Expr.Binary(op, lhs, rhs, returnBool, matching);
    Type l = lhs.type();
    Type r = rhs.type();
    if (returnBool && !b.isComparison()) {
      throw error(at, "bool modifier can only be used on comparison operators");
    }
    if ((l != Type.SCALAR && l != Type.VECTOR) || (r != Type.SCALAR && r != Type.VECTOR)) {
      throw error(at, "binary expression must contain only scalar and instant vector types");
    }
    if (b.isComparison() && l == Type.SCALAR && r == Type.SCALAR && !returnBool) {
      throw error(at, "comparisons between scalars must use BOOL modifier");
    }
    if (b.isSetOperator()) {
      if (l == Type.SCALAR || r == Type.SCALAR) {
        throw error(at, "set operator \"" + op + "\" not allowed in binary scalar expression");
      }
      if (matching != null && (matching.cardinality() == Expr.VectorMatching.Cardinality.MANY_TO_ONE
          || matching.cardinality() == Expr.VectorMatching.Cardinality.ONE_TO_MANY)) {
        throw error(at, "no grouping allowed for \"" + op + "\" operation");
      }
      matching = new Expr.VectorMatching(Expr.VectorMatching.Cardinality.MANY_TO_MANY,
          matching == null ? List.of() : matching.labels(), matching != null && matching.on(), List.of());
    }
    if (matching != null && (l != Type.VECTOR || r != Type.VECTOR)) {
      throw error(at, "vector matching only allowed between instant vectors");
    }
    if (matching != null && matching.on()) {
      for (String label : matching.include()) {
        if (matching.labels().contains(label)) {
          throw error(at, "label \"" + label + "\" must not occur in ON and GROUP clause at once");
        }
      }
    }
    return new Expr.Binary(op, lhs, rhs, returnBool, matching);
  }

  private Expr unary() {
    Token t = peek();
    if (t.kind() == Kind.OP && (t.text().equals("-") || t.text().equals("+"))) {
      next();
      Expr operand = expression(6);
      if (operand.type() != Type.SCALAR && operand.type() != Type.VECTOR) {
        throw error(t, "unary expression only allowed on expressions of type scalar or instant vector, got \""
            + operand.type().description() + "\"");
      }
      if (t.text().equals("+")) {
        return operand;
      }
      Expr negated = operand instanceof Expr.NumberLiteral n ? new Expr.NumberLiteral(-n.value())
          : new Expr.Unary("-", operand);
      offsets.put(negated, t.pos());
      return negated;
    }
    int start = t.pos();
    Expr expr = postfix(primary());
    offsets.putIfAbsent(expr, start);
    return expr;
  }

  // ---- postfix: ranges, subqueries, offset, @

  private Expr postfix(Expr expr) {
    while (true) {
      Token t = peek();
      if (t.kind() == Kind.LBRACKET) {
        expr = rangeOrSubquery(expr);
      } else if (peekIdent("offset")) {
        next();
        long offset = signedDuration();
        expr = withOffset(t, expr, offset);
      } else if (t.kind() == Kind.AT) {
        next();
        expr = withAt(t, expr, atValue());
      } else {
        return expr;
      }
    }
  }

  private Expr rangeOrSubquery(Expr expr) {
    Token open = next();
    long range = duration();
    if (peek().kind() == Kind.COLON) {
      next();
      long step = 0;
      if (peek().kind() != Kind.RBRACKET) {
        step = duration();
      }
      expect(Kind.RBRACKET, "\"]\"");
      if (expr.type() != Type.VECTOR) {
        throw error(open, "subquery is only allowed on instant vector, got " + expr.type().description()
            + " instead");
      }
      return new Expr.Subquery(expr, range, step, 0, null);
    }
    expect(Kind.RBRACKET, "\"]\"");
    if (!(expr instanceof Expr.VectorSelector vs)) {
      throw error(open, "ranges only allowed for vector selectors");
    }
    if (vs.offsetMs() != 0 || vs.at() != null) {
      throw error(open, "no offset or @ modifiers allowed before range");
    }
    return new Expr.MatrixSelector(vs, range);
  }

  private Expr withOffset(Token at, Expr expr, long offset) {
    return switch (expr) {
      case Expr.VectorSelector vs -> {
        if (vs.offsetMs() != 0) {
          throw error(at, "offset may not be set multiple times");
        }
        yield vs.withOffset(offset);
      }
      case Expr.MatrixSelector ms -> {
        if (ms.selector().offsetMs() != 0) {
          throw error(at, "offset may not be set multiple times");
        }
        yield new Expr.MatrixSelector(ms.selector().withOffset(offset), ms.rangeMs());
      }
      case Expr.Subquery sq -> {
        if (sq.offsetMs() != 0) {
          throw error(at, "offset may not be set multiple times");
        }
        yield new Expr.Subquery(sq.expr(), sq.rangeMs(), sq.stepMs(), offset, sq.at());
      }
      default -> throw error(at,
          "offset modifier must be preceded by an instant vector selector or range vector selector or a subquery");
    };
  }

  private Expr withAt(Token at, Expr expr, Expr.At value) {
    return switch (expr) {
      case Expr.VectorSelector vs -> {
        if (vs.at() != null) {
          throw error(at, "@ <timestamp> may not be set multiple times");
        }
        yield vs.withAt(value);
      }
      case Expr.MatrixSelector ms -> {
        if (ms.selector().at() != null) {
          throw error(at, "@ <timestamp> may not be set multiple times");
        }
        yield new Expr.MatrixSelector(ms.selector().withAt(value), ms.rangeMs());
      }
      case Expr.Subquery sq -> {
        if (sq.at() != null) {
          throw error(at, "@ <timestamp> may not be set multiple times");
        }
        yield new Expr.Subquery(sq.expr(), sq.rangeMs(), sq.stepMs(), sq.offsetMs(), value);
      }
      default -> throw error(at,
          "@ modifier must be preceded by an instant vector selector or range vector selector or a subquery");
    };
  }

  private Expr.At atValue() {
    Token t = peek();
    if (t.kind() == Kind.IDENT && (t.text().equals("start") || t.text().equals("end"))) {
      next();
      expect(Kind.LPAREN, "\"(\"");
      expect(Kind.RPAREN, "\")\"");
      return new Expr.At(t.text().equals("start") ? Expr.At.Kind.START : Expr.At.Kind.END, 0);
    }
    boolean negative = false;
    if (t.kind() == Kind.OP && (t.text().equals("-") || t.text().equals("+"))) {
      negative = t.text().equals("-");
      next();
      t = peek();
    }
    if (t.kind() != Kind.NUMBER && t.kind() != Kind.DURATION) {
      throw error(t, "unexpected " + describe(t) + " in @, expected timestamp");
    }
    next();
    double seconds = (t.kind() == Kind.DURATION ? parseDuration(t.text()) / 1000.0 : number(t)) * (negative ? -1 : 1);
    if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
      throw error(t, "timestamp out of bounds for @ modifier: " + seconds);
    }
    return new Expr.At(Expr.At.Kind.TIME, Math.round(seconds * 1000));
  }

  private long signedDuration() {
    Token t = peek();
    if (t.kind() == Kind.OP && (t.text().equals("-") || t.text().equals("+"))) {
      next();
      long d = duration();
      return t.text().equals("-") ? -d : d;
    }
    return duration();
  }

  private long duration() {
    Token t = next();
    if (t.kind() == Kind.DURATION) {
      return parseDuration(t.text());
    }
    if (t.kind() == Kind.NUMBER) {
      double seconds = number(t);
      return Math.round(seconds * 1000);
    }
    throw error(t, "unexpected " + describe(t) + ", expected duration");
  }

  /** {@code 1h30m}, {@code 5m}, {@code 250ms}, {@code 1y} (365 days). */
  public static long parseDuration(String text) {
    long total = 0;
    int p = 0;
    while (p < text.length()) {
      int q = p;
      while (q < text.length() && Character.isDigit(text.charAt(q))) {
        q++;
      }
      if (q == p) {
        throw new ParseException("not a valid duration string: \"" + text + "\"");
      }
      long n;
      try {
        n = Long.parseLong(text.substring(p, q));
      } catch (NumberFormatException tooLong) {
        throw new ParseException("not a valid duration string: \"" + text + "\": out of range");
      }
      long unit;
      if (text.startsWith("ms", q)) {
        unit = 1;
        q += 2;
      } else if (q < text.length()) {
        unit = switch (text.charAt(q)) {
          case 's' -> 1_000L;
          case 'm' -> 60_000L;
          case 'h' -> 3_600_000L;
          case 'd' -> 86_400_000L;
          case 'w' -> 7 * 86_400_000L;
          case 'y' -> 365 * 86_400_000L;
          default -> throw new ParseException("not a valid duration string: \"" + text + "\"");
        };
        q++;
      } else {
        throw new ParseException("not a valid duration string: \"" + text + "\"");
      }
      try {
        total = Math.addExact(total, Math.multiplyExact(n, unit));
      } catch (ArithmeticException overflow) {
        throw new ParseException("not a valid duration string: \"" + text + "\": out of range");
      }
      p = q;
    }
    return total;
  }

  // ---- primaries

  private Expr primary() {
    Token t = peek();
    switch (t.kind()) {
      case NUMBER -> {
        next();
        return new Expr.NumberLiteral(number(t));
      }
      case STRING -> {
        next();
        return new Expr.StringLiteral(t.text());
      }
      case LPAREN -> {
        next();
        Expr inner = expression(0);
        expect(Kind.RPAREN, "\")\"");
        return new Expr.Paren(inner);
      }
      case LBRACE -> {
        return selector(null, t);
      }
      case IDENT -> {
        return identifier();
      }
      case DURATION -> {
        next();
        return new Expr.NumberLiteral(parseDuration(t.text()) / 1000.0);
      }
      case EOF -> throw error(t, "unexpected end of input");
      default -> throw error(t, "unexpected " + describe(t));
    }
  }

  private Expr identifier() {
    Token t = next();
    String name = t.text();
    String lower = name.toLowerCase(Locale.ROOT);
    Token after = peek();
    if (AGGREGATIONS.contains(lower) && (after.kind() == Kind.LPAREN || peekIdent("by") || peekIdent("without"))) {
      return aggregation(t, lower);
    }
    if (after.kind() == Kind.LPAREN) {
      if (!Functions.exists(name)) {
        throw error(t, "unknown function with name \"" + name + "\"");
      }
      return call(t, name);
    }
    if (lower.equals("inf") || lower.equals("nan")) {
      return new Expr.NumberLiteral(lower.equals("inf") ? Double.POSITIVE_INFINITY : Double.NaN);
    }
    if (Set.of("by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset", "and", "or",
        "unless", "atan2").contains(lower)) {
      throw error(t, "unexpected <" + name + ">");
    }
    return selector(name, t);
  }

  /** {@code ( expr, expr, ... )}, a trailing comma allowed. */
  private List<Expr> arguments() {
    expect(Kind.LPAREN, "\"(\"");
    List<Expr> args = new ArrayList<>();
    while (peek().kind() != Kind.RPAREN) {
      args.add(expression(0));
      if (peek().kind() != Kind.COMMA) {
        break;
      }
      next();
    }
    expect(Kind.RPAREN, "\")\"");
    return args;
  }

  private Expr call(Token at, String name) {
    List<Expr> args = arguments();
    Functions.Signature sig = Functions.signature(name);
    int n = args.size();
    if (n < sig.minArgs() || (sig.maxArgs() >= 0 && n > sig.maxArgs())) {
      String expected = sig.maxArgs() == sig.minArgs() ? Integer.toString(sig.minArgs())
          : sig.maxArgs() < 0 ? "at least " + sig.minArgs() : "at most " + sig.maxArgs();
      throw error(at, "expected " + expected + " argument(s) in call to \"" + name + "\", got " + n);
    }
    for (int k = 0; k < n; k++) {
      Type want = sig.args().get(Math.min(k, sig.args().size() - 1));
      Type got = args.get(k).type();
      if (got != want) {
        throw error(at, "expected type " + want.description() + " in call to function \"" + name + "\", got "
            + got.description());
      }
    }
    Expr call = new Expr.Call(name, args);
    offsets.put(call, at.pos());
    return call;
  }

  private Expr aggregation(Token at, String op) {
    List<String> grouping = List.of();
    boolean without = false;
    boolean groupingSeen = false;
    if (peekIdent("by") || peekIdent("without")) {
      without = next().text().equalsIgnoreCase("without");
      grouping = labelList();
      groupingSeen = true;
    }
    List<Expr> args = arguments();
    if (peekIdent("by") || peekIdent("without")) {
      if (groupingSeen) {
        throw error(peek(), "unexpected <" + peek().text() + ">");
      }
      without = next().text().equalsIgnoreCase("without");
      grouping = labelList();
    }
    boolean parameterized = PARAMETERIZED.contains(op);
    int expected = parameterized ? 2 : 1;
    if (args.size() != expected) {
      throw error(at, "wrong number of arguments for aggregate expression provided, expected " + expected + ", got "
          + args.size());
    }
    Expr param = parameterized ? args.get(0) : null;
    Expr expr = args.get(args.size() - 1);
    if (expr.type() != Type.VECTOR) {
      throw error(at, "expected type instant vector in aggregation expression, got " + expr.type().description());
    }
    if (param != null) {
      Type want = op.equals("count_values") ? Type.STRING : Type.SCALAR;
      if (param.type() != want) {
        throw error(at, "expected type " + want.description() + " in aggregation parameter, got "
            + param.type().description());
      }
    }
    Expr aggregate = new Expr.Aggregate(op, expr, param, grouping, without);
    offsets.put(aggregate, at.pos());
    return aggregate;
  }

  private List<String> labelList() {
    expect(Kind.LPAREN, "\"(\"");
    List<String> labels = new ArrayList<>();
    while (peek().kind() != Kind.RPAREN) {
      Token t = next();
      if (t.kind() != Kind.IDENT && t.kind() != Kind.STRING) {
        throw error(t, "unexpected " + describe(t) + " in grouping opts, expected label");
      }
      if (t.kind() == Kind.IDENT && !t.text().matches("[a-zA-Z_][a-zA-Z0-9_]*")) {
        throw error(t, "invalid label name \"" + t.text() + "\"");
      }
      labels.add(t.text());
      if (peek().kind() == Kind.COMMA) {
        next();
      } else if (peek().kind() != Kind.RPAREN) {
        throw error(peek(), "unexpected " + describe(peek()) + " in grouping opts, expected \",\" or \")\"");
      }
    }
    next();
    return labels;
  }

  private Expr selector(String name, Token at) {
    List<LabelMatcher> matchers = new ArrayList<>();
    if (peek().kind() == Kind.LBRACE) {
      next();
      while (peek().kind() != Kind.RBRACE) {
        Token label = next();
        if (label.kind() == Kind.STRING && (peek().kind() == Kind.COMMA || peek().kind() == Kind.RBRACE)) {
          if (name != null) {
            throw error(label, "metric name must not be set twice: \"" + name + "\" or \"" + label.text() + "\"");
          }
          name = label.text();
        } else {
          if (label.kind() != Kind.IDENT && label.kind() != Kind.STRING) {
            throw error(label, "unexpected " + describe(label) + " in label matching, expected label");
          }
          Token op = next();
          LabelMatcher.Type type = switch (op.text()) {
            case "=" -> LabelMatcher.Type.EQUAL;
            case "!=" -> LabelMatcher.Type.NOT_EQUAL;
            case "=~" -> LabelMatcher.Type.REGEX;
            case "!~" -> LabelMatcher.Type.NOT_REGEX;
            default -> throw error(op, "unexpected " + describe(op) + " in label matching, expected \"=\", \"!=\", "
                + "\"=~\" or \"!~\"");
          };
          if (op.kind() != Kind.OP) {
            throw error(op, "unexpected " + describe(op) + " in label matching");
          }
          Token value = next();
          if (value.kind() != Kind.STRING) {
            throw error(value, "unexpected " + describe(value) + " in label matching, expected string");
          }
          try {
            matchers.add(LabelMatcher.of(label.text(), type, value.text()));
          } catch (IllegalArgumentException e) {
            throw error(value, e.getMessage());
          }
        }
        if (peek().kind() == Kind.COMMA) {
          next();
        } else if (peek().kind() != Kind.RBRACE) {
          throw error(peek(), "unexpected " + describe(peek()) + " in label matching, expected \",\" or \"}\"");
        }
      }
      next();
    }
    if (name != null) {
      for (LabelMatcher m : matchers) {
        if (m.name().equals(Labels.METRIC_NAME)) {
          throw error(at, "metric name must not be set twice: \"" + name + "\" or \"" + m.value() + "\"");
        }
      }
      matchers.add(0, LabelMatcher.of(Labels.METRIC_NAME, LabelMatcher.Type.EQUAL, name));
    }
    if (matchers.stream().allMatch(LabelMatcher::matchesEmpty)) {
      throw error(at, "vector selector must contain at least one non-empty matcher");
    }
    Expr selector = new Expr.VectorSelector(name, List.copyOf(matchers), 0, null);
    offsets.put(selector, at.pos());
    return selector;
  }

  // ---- tokens

  private static double number(Token t) {
    String s = t.text();
    String lower = s.toLowerCase(Locale.ROOT);
    if (lower.startsWith("0x")) {
      try {
        return new java.math.BigInteger(s.substring(2), 16).doubleValue();
      } catch (NumberFormatException e) {
        throw new ParseException("bad number: " + s);
      }
    }
    if (lower.equals("inf")) {
      return Double.POSITIVE_INFINITY;
    }
    if (lower.equals("nan")) {
      return Double.NaN;
    }
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      throw new ParseException("bad number: " + s);
    }
  }

  private Token peek() {
    return tokens.get(i);
  }

  private boolean peekIdent(String word) {
    Token t = peek();
    return t.kind() == Kind.IDENT && t.text().equalsIgnoreCase(word);
  }

  private Token next() {
    Token t = tokens.get(i);
    if (t.kind() != Kind.EOF) {
      i++;
    }
    return t;
  }

  private void expect(Kind kind, String what) {
    Token t = next();
    if (t.kind() != kind) {
      throw error(t, "unexpected " + describe(t) + ", expected " + what);
    }
  }

  private String describe(Token t) {
    return switch (t.kind()) {
      case EOF -> "end of input";
      case IDENT -> "identifier \"" + t.text() + "\"";
      case NUMBER -> "number \"" + t.text() + "\"";
      case STRING -> "string \"" + t.text() + "\"";
      case DURATION -> "duration \"" + t.text() + "\"";
      default -> "\"" + t.text() + "\"";
    };
  }

  private ParseException error(Token at, String message) {
    return new ParseException(position(input, at.pos()) + ": " + message);
  }
}
