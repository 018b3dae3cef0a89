package io.fleetlens.logql.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import io.fleetlens.logql.parse.Token.Kind;

/**
 * Splits a LogQL query into tokens: strings in double quotes (Go escapes) or backticks (raw),
 * numbers, durations ({@code 5m}, {@code 1h30m}, {@code 250ms}), byte sizes ({@code 20KB},
 * {@code 1.5MiB}), identifiers and operators; {@code #} starts a comment to the end of the line.
 */
final class Lexer {

  private static final Pattern DURATION = Pattern.compile("(\\d+(\\.\\d+)?(ns|us|µs|ms|s|m|h|d|w|y))+");
  private static final Pattern BYTES = Pattern.compile("\\d+(\\.\\d+)?([kKmMgGtTpPeE]i?)?[bB]");

  private final String text;
  private int at;

  private Lexer(String text) {
    this.text = text;
  }

  static List<Token> tokens(String text) {
    Lexer lexer = new Lexer(text);
    List<Token> out = new ArrayList<>();
    Token t;
    do {
      t = lexer.next();
      out.add(t);
    } while (!t.is(Kind.EOF));
    return out;
  }

  /** Line and column (1-based, counting characters) of an offset, as Loki's errors give them. */
  static int[] position(String text, int offset) {
    int line = 1;
    int column = 1;
    for (int i = 0; i < Math.min(offset, text.length()); i++) {
      if (text.charAt(i) == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    return new int[] {line, column};
  }

  private ParseException error(int offset, String message) {
    int[] p = position(text, offset);
    return new ParseException(p[0], p[1], message);
  }

  private Token next() {
    skipSpaceAndComments();
    if (at >= text.length()) {
      return new Token(Kind.EOF, "", at);
    }
    int start = at;
    char c = text.charAt(at);
    if (c == '"') {
      return new Token(Kind.STRING, quoted(), start);
    }
    if (c == '`') {
      int end = text.indexOf('`', at + 1);
      if (end < 0) {
        throw error(start, "syntax error: unterminated raw string");
      }
      at = end + 1;
      return new Token(Kind.STRING, text.substring(start + 1, end), start);
    }
    if (Character.isDigit(c) || c == '.' && at + 1 < text.length() && Character.isDigit(text.charAt(at + 1))) {
      return number(start);
    }
    if (Character.isLetter(c) || c == '_') {
      while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '_')) {
        at++;
      }
      return new Token(Kind.IDENTIFIER, text.substring(start, at), start);
    }
    Kind kind = operator();
    if (kind == null) {
      throw error(start, "syntax error: unexpected character '" + c + "'");
    }
    return new Token(kind, text.substring(start, at), start);
  }

  private void skipSpaceAndComments() {
    while (at < text.length()) {
      char c = text.charAt(at);
      if (Character.isWhitespace(c)) {
        at++;
      } else if (c == '#') {
        while (at < text.length() && text.charAt(at) != '\n') {
          at++;
        }
      } else {
        return;
      }
    }
  }

  private Kind operator() {
    String two = at + 2 <= text.length() ? text.substring(at, at + 2) : "";
    Kind kind = switch (two) {
      case "|=" -> Kind.PIPE_EXACT;
      case "|~" -> Kind.PIPE_MATCH;
      case "|>" -> Kind.PIPE_PATTERN;
      case "!>" -> Kind.NOT_PATTERN;
      case "==" -> Kind.DOUBLE_EQ;
      case "!=" -> Kind.NEQ;
      case "=~" -> Kind.RE;
      case "!~" -> Kind.NRE;
      case ">=" -> Kind.GTE;
      case "<=" -> Kind.LTE;
      default -> null;
    };
    if (kind != null) {
      at += 2;
      return kind;
    }
    kind = switch (text.charAt(at)) {
      case '{' -> Kind.OPEN_BRACE;
      case '}' -> Kind.CLOSE_BRACE;
      case '(' -> Kind.OPEN_PAREN;
      case ')' -> Kind.CLOSE_PAREN;
      case '[' -> Kind.OPEN_BRACKET;
      case ']' -> Kind.CLOSE_BRACKET;
      case ',' -> Kind.COMMA;
      case '|' -> Kind.PIPE;
      case '=' -> Kind.EQ;
      case '>' -> Kind.GT;
      case '<' -> Kind.LT;
      case '+' -> Kind.ADD;
      case '-' -> Kind.SUB;
      case '*' -> Kind.MUL;
      case '/' -> Kind.DIV;
      case '%' -> Kind.MOD;
      case '^' -> Kind.POW;
      default -> null;
    };
    if (kind != null) {
      at++;
    }
    return kind;
  }

  /** A number, or a duration or byte size when letters follow it without a space. */
  private Token number(int start) {
    while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '.'
        || text.charAt(at) == 'µ')) {
      at++;
    }
    // an exponent's sign: 1e-3
    if (at < text.length() && (text.charAt(at) == '-' || text.charAt(at) == '+')
        && (text.charAt(at - 1) == 'e' || text.charAt(at - 1) == 'E') && text.substring(start, at - 1).matches("[\\d.]+")) {
      at++;
      while (at < text.length() && Character.isDigit(text.charAt(at))) {
        at++;
      }
    }
    String word = text.substring(start, at);
    if (word.matches("(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?")) {
      return new Token(Kind.NUMBER, word, start);
    }
    if (DURATION.matcher(word).matches()) {
      return new Token(Kind.DURATION, word, start);
    }
    if (BYTES.matcher(word).matches()) {
      return new Token(Kind.BYTES, word, start);
    }
    throw error(start, "syntax error: unexpected " + word + ": not a number, duration or byte size");
  }

  /** A double-quoted string with Go's escapes, unquoted. */
  private String quoted() {
    int start = at;
    StringBuilder out = new StringBuilder();
    at++;
    while (true) {
      if (at >= text.length() || text.charAt(at) == '\n') {
        throw error(start, "syntax error: unterminated string");
      }
      char c = text.charAt(at++);
      if (c == '"') {
        return out.toString();
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      if (at >= text.length()) {
        throw error(start, "syntax error: unterminated string");
      }
      char e = text.charAt(at++);
      switch (e) {
        case 'n' -> out.append('\n');
        case 't' -> out.append('\t');
        case 'r' -> out.append('\r');
        case 'a' -> out.append('\u0007');
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'v' -> out.append('\u000b');
        case '\\', '"', '\'' -> out.append(e);
        case 'x' -> out.append((char) hex(2, start));
        case 'u' -> out.append((char) hex(4, start));
        case 'U' -> out.appendCodePoint(hex(8, start));
        default -> {
          if (e >= '0' && e <= '7' && at + 1 < text.length()) {
            out.append((char) Integer.parseInt(text.substring(at - 1, at + 2), 8));
            at += 2;
          } else {
            throw error(at - 2, "syntax error: invalid escape \\" + e + " in a string");
          }
        }
      }
    }
  }

  private int hex(int digits, int stringStart) {
    if (at + digits > text.length() || !text.substring(at, at + digits).matches("[0-9a-fA-F]+")) {
      throw error(stringStart, "syntax error: invalid escape in a string: " + digits + " hex digits expected");
    }
    int value = Integer.parseInt(text.substring(at, at + digits), 16);
    at += digits;
    return value;
  }
}
