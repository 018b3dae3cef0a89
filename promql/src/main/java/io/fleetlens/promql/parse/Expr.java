package io.fleetlens.promql.parse;

import java.util.List;

import io.fleetlens.core.metrics.LabelMatcher;

/** A PromQL expression, as the parser builds it. Durations and times are in milliseconds. */
public sealed interface Expr {

  /** What an expression evaluates to. */
  enum Type {
    SCALAR("scalar"), VECTOR("instant vector"), MATRIX("range vector"), STRING("string");

    private final String description;

    Type(String description) {
      this.description = description;
    }

    public String description() {
      return description;
    }
  }

  Type type();

  /** An {@code @} modifier: a fixed time, or the query's start or end. */
  record At(Kind kind, long timeMs) {
    public enum Kind { TIME, START, END }
  }

  record NumberLiteral(double value) implements Expr {
    public Type type() {
      return Type.SCALAR;
    }
  }

  record StringLiteral(String value) implements Expr {
    public Type type() {
      return Type.STRING;
    }
  }

  record VectorSelector(String name, List<LabelMatcher> matchers, long offsetMs, At at) implements Expr {
    public Type type() {
      return Type.VECTOR;
    }

    public VectorSelector withOffset(long offset) {
      return new VectorSelector(name, matchers, offset, at);
    }

    public VectorSelector withAt(At newAt) {
      return new VectorSelector(name, matchers, offsetMs, newAt);
    }
  }

  record MatrixSelector(VectorSelector selector, long rangeMs) implements Expr {
    public Type type() {
      return Type.MATRIX;
    }
  }

  record Subquery(Expr expr, long rangeMs, long stepMs, long offsetMs, At at) implements Expr {
    public Type type() {
      return Type.MATRIX;
    }
  }

  record Call(String function, List<Expr> args) implements Expr {
    public Type type() {
      return Functions.signature(function).returns();
    }
  }

  record Aggregate(String op, Expr expr, Expr param, List<String> grouping, boolean without) implements Expr {
    public Type type() {
      return Type.VECTOR;
    }
  }

  /** How the two sides of a binary operation between vectors are matched. */
  record VectorMatching(Cardinality cardinality, List<String> labels, boolean on, List<String> include) {
    public enum Cardinality { ONE_TO_ONE, MANY_TO_ONE, ONE_TO_MANY, MANY_TO_MANY }
  }

  record Binary(String op, Expr lhs, Expr rhs, boolean returnBool, VectorMatching matching) implements Expr {
    public Type type() {
      return lhs.type() == Type.SCALAR && rhs.type() == Type.SCALAR ? Type.SCALAR : Type.VECTOR;
    }

    public boolean isComparison() {
      return switch (op) {
        case "==", "!=", ">", "<", ">=", "<=" -> true;
        default -> false;
      };
    }

    public boolean isSetOperator() {
      return op.equals("and") || op.equals("or") || op.equals("unless");
    }
  }

  record Unary(String op, Expr expr) implements Expr {
    public Type type() {
      return expr.type();
    }
  }

  record Paren(Expr expr) implements Expr {
    public Type type() {
      return expr.type();
    }
  }
}
