package io.fleetlens.promql.parse;

import java.util.ArrayList;
import java.util.List;

/** Splits a PromQL query into tokens. */
final class Lexer {

  enum Kind { IDENT, NUMBER, DURATION, STRING, OP, LPAREN, RPAREN, LBRACE, RBRACE, LBRACKET, RBRACKET, COMMA, COLON, AT, EOF }

  record Token(Kind kind, String text, int pos) {
    boolean is(Kind k, String t) {
      return kind == k && text.equals(t);
    }
  }

  private final String in;
  private int pos;
  private int brackets;
  private final List<Token> tokens = new ArrayList<>();

  private Lexer(String in) {
    this.in = in;
  }

  static List<Token> tokenize(String query) {
    Lexer lexer = new Lexer(query);
    lexer.run();
    return lexer.tokens;
  }

  private void run() {
    while (true) {
      skipSpaceAndComments();
      if (pos >= in.length()) {
        tokens.add(new Token(Kind.EOF, "", pos));
        return;
      }
      char c = in.charAt(pos);
      int start = pos;
      if (Character.isDigit(c) || (c == '.' && pos + 1 < in.length() && Character.isDigit(in.charAt(pos + 1)))) {
        number();
      } else if (c == ':' && brackets > 0) {
        pos++;
        tokens.add(new Token(Kind.COLON, ":", start));
      } else if (Character.isLetter(c) || c == '_' || c == ':') {
        while (pos < in.length() && (Character.isLetterOrDigit(in.charAt(pos)) || in.charAt(pos) == '_'
            || (in.charAt(pos) == ':' && brackets == 0))) {
          pos++;
        }
        tokens.add(new Token(Kind.IDENT, in.substring(start, pos), start));
      } else if (c == '"' || c == '\'' || c == '`') {
        tokens.add(new Token(Kind.STRING, string(c), start));
      } else {
        pos++;
        switch (c) {
          case '(' -> tokens.add(new Token(Kind.LPAREN, "(", start));
          case ')' -> tokens.add(new Token(Kind.RPAREN, ")", start));
          case '{' -> tokens.add(new Token(Kind.LBRACE, "{", start));
          case '}' -> tokens.add(new Token(Kind.RBRACE, "}", start));
          case '[' -> {
            brackets++;
            tokens.add(new Token(Kind.LBRACKET, "[", start));
          }
          case ']' -> {
            brackets = Math.max(0, brackets - 1);
            tokens.add(new Token(Kind.RBRACKET, "]", start));
          }
          case ',' -> tokens.add(new Token(Kind.COMMA, ",", start));
          case ':' -> tokens.add(new Token(Kind.COLON, ":", start));
          case '@' -> tokens.add(new Token(Kind.AT, "@", start));
          case '+', '-', '*', '/', '%', '^' -> tokens.add(new Token(Kind.OP, String.valueOf(c), start));
          case '=' -> {
            if (peek('=')) {
              pos++;
              tokens.add(new Token(Kind.OP, "==", start));
            } else if (peek('~')) {
              pos++;
              tokens.add(new Token(Kind.OP, "=~", start));
            } else {
              tokens.add(new Token(Kind.OP, "=", start));
            }
          }
          case '!' -> {
            if (peek('=')) {
              pos++;
              tokens.add(new Token(Kind.OP, "!=", start));
            } else if (peek('~')) {
              pos++;
              tokens.add(new Token(Kind.OP, "!~", start));
            } else {
              throw error(start, "unexpected character after '!': " + describe(pos));
            }
          }
          case '<', '>' -> {
            if (peek('=')) {
              pos++;
              tokens.add(new Token(Kind.OP, c + "=", start));
            } else {
              tokens.add(new Token(Kind.OP, String.valueOf(c), start));
            }
          }
          default -> throw error(start, "unexpected character: '" + c + "'");
        }
      }
    }
  }

  private String describe(int at) {
    return at < in.length() ? "'" + in.charAt(at) + "'" : "end of input";
  }

  private boolean peek(char c) {
    return pos < in.length() && in.charAt(pos) == c;
  }

  private void skipSpaceAndComments() {
    while (pos < in.length()) {
      char c = in.charAt(pos);
      if (Character.isWhitespace(c)) {
        pos++;
      } else if (c == '#') {
        while (pos < in.length() && in.charAt(pos) != '\n') {
          pos++;
        }
      } else {
        return;
      }
    }
  }

  private void number() {
    int start = pos;
    if (in.startsWith("0x", pos) || in.startsWith("0X", pos)) {
      pos += 2;
      while (pos < in.length() && Character.digit(in.charAt(pos), 16) >= 0) {
        pos++;
      }
      tokens.add(new Token(Kind.NUMBER, in.substring(start, pos), start));
      return;
    }
    // a duration: digits followed by a unit, repeated (1h30m)
    int p = pos;
    boolean duration = false;
    while (p < in.length() && Character.isDigit(in.charAt(p))) {
      int q = p;
      while (q < in.length() && Character.isDigit(in.charAt(q))) {
        q++;
      }
      int unit = unitLength(q);
      if (unit == 0) {
        break;
      }
      duration = true;
      p = q + unit;
    }
    if (duration && (p >= in.length() || !Character.isLetterOrDigit(in.charAt(p)) && in.charAt(p) != '.')) {
      pos = p;
      tokens.add(new Token(Kind.DURATION, in.substring(start, pos), start));
      return;
    }
    while (pos < in.length() && (Character.isDigit(in.charAt(pos)) || in.charAt(pos) == '.' || in.charAt(pos) == '_')) {
      pos++;
    }
    if (pos < in.length() && (in.charAt(pos) == 'e' || in.charAt(pos) == 'E')) {
      int save = pos;
      pos++;
      if (pos < in.length() && (in.charAt(pos) == '+' || in.charAt(pos) == '-')) {
        pos++;
      }
      if (pos < in.length() && Character.isDigit(in.charAt(pos))) {
        while (pos < in.length() && Character.isDigit(in.charAt(pos))) {
          pos++;
        }
      } else {
        pos = save;
      }
    }
    if (pos < in.length() && (Character.isLetter(in.charAt(pos)) || in.charAt(pos) == '_')) {
      throw error(start, "bad number or duration syntax: \"" + in.substring(start, pos + 1) + "\"");
    }
    tokens.add(new Token(Kind.NUMBER, in.substring(start, pos).replace("_", ""), start));
  }

  private int unitLength(int at) {
    if (in.startsWith("ms", at)) {
      return 2;
    }
    if (at < in.length() && "smhdwy".indexOf(in.charAt(at)) >= 0) {
      return 1;
    }
    return 0;
  }

  private String string(char quote) {
    int start = pos;
    pos++;
    StringBuilder s = new StringBuilder();
    while (pos < in.length()) {
      char c = in.charAt(pos++);
      if (c == quote) {
        return s.toString();
      }
      if (c == '\\' && quote != '`') {
        if (pos >= in.length()) {
          break;
        }
        char e = in.charAt(pos++);
        switch (e) {
          case 'n' -> s.append('\n');
          case 't' -> s.append('\t');
          case 'r' -> s.append('\r');
          case 'a' -> s.append('\u0007');
          case 'b' -> s.append('\b');
          case 'f' -> s.append('\f');
          case 'v' -> s.append('\u000b');
          case '\\', '"', '\'' -> s.append(e);
          case 'x' -> s.append((char) hex(2));
          case 'u' -> s.appendCodePoint(hex(4));
          case 'U' -> s.appendCodePoint(hex(8));
          default -> {
            if (e >= '0' && e <= '7') {
              int v = e - '0';
              for (int i = 0; i < 2 && pos < in.length() && in.charAt(pos) >= '0' && in.charAt(pos) <= '7'; i++) {
                v = v * 8 + (in.charAt(pos++) - '0');
              }
              s.append((char) v);
            } else {
              throw error(pos - 2, "unknown escape sequence '\\" + e + "'");
            }
          }
        }
      } else if (c == '\n' && quote != '`') {
        throw error(start, "unterminated quoted string");
      } else {
        s.append(c);
      }
    }
    throw error(start, "unterminated quoted string");
  }

  private int hex(int digits) {
    if (pos + digits > in.length()) {
      throw error(pos, "bad escape");
    }
    for (int i = pos; i < pos + digits; i++) {
      if (Character.digit(in.charAt(i), 16) < 0) {
        throw error(pos - 2, "invalid escape sequence: \"\\" + in.charAt(pos - 1) + in.substring(pos, pos + digits)
            + "\" needs " + digits + " hex digits");
      }
    }
    int v = Integer.parseInt(in.substring(pos, pos + digits), 16);
    pos += digits;
    return v;
  }

  private ParseException error(int at, String message) {
    return new ParseException(Parser.position(in, at) + ": " + message);
  }
}
