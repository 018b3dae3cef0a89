package io.fleetlens.logql.parse;

/** One token of a LogQL query and where it starts (offset in the query text). */
record Token(Kind kind, String text, int offset) {

  enum Kind {
    IDENTIFIER("IDENTIFIER"), STRING("STRING"), NUMBER("NUMBER"), DURATION("DURATION"), BYTES("BYTES"),
    OPEN_BRACE("{"), CLOSE_BRACE("}"), OPEN_PAREN("("), CLOSE_PAREN(")"), OPEN_BRACKET("["), CLOSE_BRACKET("]"),
    COMMA(","), PIPE("|"), PIPE_EXACT("|="), PIPE_MATCH("|~"), PIPE_PATTERN("|>"), NOT_PATTERN("!>"),
    EQ("="), DOUBLE_EQ("=="), NEQ("!="), RE("=~"), NRE("!~"), GT(">"), GTE(">="), LT("<"), LTE("<="),
    ADD("+"), SUB("-"), MUL("*"), DIV("/"), MOD("%"), POW("^"), EOF("end of input");

    private final String shown;

    Kind(String shown) {
      this.shown = shown;
    }

    /** How Loki's errors name the token. */
    String shown() {
      return shown;
    }
  }

  boolean is(Kind k) {
    return kind == k;
  }

  /** An identifier spelled {@code word}: keywords such as {@code by} or {@code json} are identifiers in context. */
  boolean isWord(String word) {
    return kind == Kind.IDENTIFIER && text.equals(word);
  }
}
