package io.fleetlens.logql.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.fleetlens.core.metrics.LabelMatcher;
import io.fleetlens.logql.parse.Expr.And;
import io.fleetlens.logql.parse.Expr.Binary;
import io.fleetlens.logql.parse.Expr.Compare;
import io.fleetlens.logql.parse.Expr.LineFilter;
import io.fleetlens.logql.parse.Expr.LineOp;
import io.fleetlens.logql.parse.Expr.LogQuery;
import io.fleetlens.logql.parse.Expr.NumberCompare;
import io.fleetlens.logql.parse.Expr.Or;
import io.fleetlens.logql.parse.Expr.RangeAggregation;
import io.fleetlens.logql.parse.Expr.StringMatch;
import io.fleetlens.logql.parse.Expr.Unit;
import io.fleetlens.logql.parse.Expr.VectorAggregation;

class ParserTest {

  private static LogQuery log(String q) {
    return (LogQuery) Parser.parse(q);
  }

  @Test
  void aSelectorHasItsMatchersWithEveryOperator() {
    LogQuery q = log("{namespace=\"shop\", pod!=\"a\", container=~\"app|web\", level!~`debug|trace`}");
    assertThat(q.selector()).extracting(LabelMatcher::name, LabelMatcher::type, LabelMatcher::value).containsExactly(
        org.assertj.core.groups.Tuple.tuple("namespace", LabelMatcher.Type.EQUAL, "shop"),
        org.assertj.core.groups.Tuple.tuple("pod", LabelMatcher.Type.NOT_EQUAL, "a"),
        org.assertj.core.groups.Tuple.tuple("container", LabelMatcher.Type.REGEX, "app|web"),
        org.assertj.core.groups.Tuple.tuple("level", LabelMatcher.Type.NOT_REGEX, "debug|trace"));
    assertThat(q.stages()).isEmpty();
  }

  @Test
  void lineFiltersChainWithOrBetweenValues() {
    LogQuery q = log("{app=\"x\"} |= \"error\" or \"fatal\" != \"health\" |~ `time=\\d+` !~ \"x\" |> \"<_> GET <_>\" !> \"a<_>\"");
    assertThat(q.stages()).containsExactly(new LineFilter(LineOp.CONTAINS, List.of("error", "fatal")),
        new LineFilter(LineOp.NOT_CONTAINS, List.of("health")), new LineFilter(LineOp.MATCHES, List.of("time=\\d+")),
        new LineFilter(LineOp.NOT_MATCHES, List.of("x")), new LineFilter(LineOp.PATTERN, List.of("<_> GET <_>")),
        new LineFilter(LineOp.NOT_PATTERN, List.of("a<_>")));
  }

  @Test
  void stringsTakeGoEscapesAndBackticksAreRaw() {
    assertThat(log("{a=\"x\"} |= \"tab\\there \\\"q\\\" \\u00e9\"").stages())
        .containsExactly(new LineFilter(LineOp.CONTAINS, List.of("tab\there \"q\" é")));
    assertThat(log("{a=\"x\"} |~ `\\w+\\s`").stages()).containsExactly(new LineFilter(LineOp.MATCHES,
        List.of("\\w+\\s")));
  }

  @Test
  void parsersTakeTheirParameters() {
    LogQuery q = log("{a=\"x\"} | json | json status=\"response.status\", method | logfmt --strict --keep-empty level"
        + " | regexp \"(?P<ip>\\\\S+) (?P<verb>\\\\w+)\" | pattern \"<ip> - <_> <status>\" | unpack");
    assertThat(q.stages().get(0)).isEqualTo(new Expr.Json(List.of()));
    assertThat(q.stages().get(1)).isEqualTo(new Expr.Json(List.of(new Expr.Extraction("status", "response.status"),
        new Expr.Extraction("method", "method"))));
    assertThat(q.stages().get(2)).isEqualTo(new Expr.Logfmt(true, true, List.of(new Expr.Extraction("level",
        "level"))));
    assertThat(((Expr.Regexp) q.stages().get(3)).names()).containsExactly("ip", "verb");
    assertThat(((Expr.PatternParser) q.stages().get(4)).pattern().names()).containsExactly("ip", "status");
    assertThat(q.stages().get(5)).isInstanceOf(Expr.Unpack.class);
  }

  @Test
  void labelFiltersCompareStringsNumbersDurationsAndBytesWithAndOrAndParentheses() {
    LogQuery q = log("{a=\"x\"} | json | status >= 500 and method=\"GET\" or (latency > 250ms, size <= 1.5KiB)"
        + " | level=~\"err.*\" path!=\"/health\"");
    Expr.Predicate first = ((Expr.LabelFilter) q.stages().get(1)).predicate();
    assertThat(first).isEqualTo(new Or(
        new And(new NumberCompare("status", Compare.GTE, 500, Unit.NUMBER),
            new StringMatch(LabelMatcher.of("method", LabelMatcher.Type.EQUAL, "GET"))),
        new And(new NumberCompare("latency", Compare.GT, 0.25, Unit.DURATION),
            new NumberCompare("size", Compare.LTE, 1536, Unit.BYTES))));
    assertThat(((Expr.LabelFilter) q.stages().get(2)).predicate()).isInstanceOf(And.class);
  }

  @Test
  void numbersAndDurationsInFiltersMayBeNegativeOrCompound() {
    LogQuery q = log("{a=\"x\"} | logfmt | delta > -3 | took < 1h30m | n == 2");
    assertThat(q.stages()).contains(new Expr.LabelFilter(new NumberCompare("delta", Compare.GT, -3, Unit.NUMBER)),
        new Expr.LabelFilter(new NumberCompare("took", Compare.LT, 5400, Unit.DURATION)),
        new Expr.LabelFilter(new NumberCompare("n", Compare.EQ, 2, Unit.NUMBER)));
  }

  @Test
  void formattingDropKeepDecolorizeAndErrorFilters() {
    LogQuery q = log("{a=\"x\"} | json | line_format \"{{.method}} {{.path}}\" | label_format dst=src, both=\"{{.a}}-{{.b}}\""
        + " | drop __error__, __error_details__, level=\"debug\" | keep pod, status | decolorize | __error__=\"\"");
    assertThat(q.stages().get(1)).isEqualTo(new Expr.LineFormat("{{.method}} {{.path}}"));
    assertThat(q.stages().get(2)).isEqualTo(new Expr.LabelFormat(List.of(new Expr.Rename("dst", "src", false),
        new Expr.Rename("both", "{{.a}}-{{.b}}", true))));
    assertThat(((Expr.Drop) q.stages().get(3)).labels()).extracting(LabelMatcher::name)
        .containsExactly("__error__", "__error_details__", "level");
    assertThat(((Expr.Keep) q.stages().get(4)).labels()).extracting(LabelMatcher::name).containsExactly("pod", "status");
    assertThat(q.stages().get(5)).isInstanceOf(Expr.Decolorize.class);
    assertThat(q.stages().get(6)).isEqualTo(new Expr.LabelFilter(new StringMatch(LabelMatcher.of("__error__",
        LabelMatcher.Type.EQUAL, ""))));
  }

  @Test
  void rangeAggregationsTakeTheirRangeOffsetUnwrapAndGrouping() {
    RangeAggregation count = (RangeAggregation) Parser.parse("count_over_time({app=\"x\"} |= \"err\" [5m] offset 1h)");
    assertThat(count.range().rangeMs()).isEqualTo(300_000);
    assertThat(count.range().offsetMs()).isEqualTo(3_600_000);
    assertThat(count.range().unwrap()).isNull();

    RangeAggregation q = (RangeAggregation) Parser.parse(
        "quantile_over_time(0.99, {app=\"x\"} | json | unwrap duration(latency) | __error__=\"\" [1m]) by (pod)");
    assertThat(q.parameter()).isEqualTo(0.99);
    assertThat(q.range().unwrap()).isEqualTo(new Expr.Unwrap("latency", Expr.Conversion.DURATION));
    assertThat(q.grouping()).isEqualTo(new Expr.Grouping(false, List.of("pod")));

    RangeAggregation older = (RangeAggregation) Parser.parse("sum_over_time({app=\"x\"}[10s] | logfmt | unwrap bytes(size))");
    assertThat(older.range().unwrap().conversion()).isEqualTo(Expr.Conversion.BYTES);
    assertThat(older.range().rangeMs()).isEqualTo(10_000);
  }

  @Test
  void vectorAggregationsTakeGroupingBeforeOrAfterAndTheirParameter() {
    VectorAggregation before = (VectorAggregation) Parser.parse(
        "sum by (level) (count_over_time({namespace=\"shop\"}[1m]))");
    VectorAggregation after = (VectorAggregation) Parser.parse(
        "sum(count_over_time({namespace=\"shop\"}[1m])) by (level)");
    assertThat(before).isEqualTo(after);
    VectorAggregation top = (VectorAggregation) Parser.parse("topk(5, sum by (pod) (rate({a=\"x\"}[5m])))");
    assertThat(top.parameter()).isEqualTo(5);
    assertThat(((VectorAggregation) Parser.parse("sort_desc(rate({a=\"x\"}[5m]))")).operator()).isEqualTo("sort_desc");
  }

  @Test
  void binaryOperatorsHavePrometheusPrecedenceBoolAndMatching() {
    Binary sum = (Binary) Parser.parse("1 + 2 * 3 ^ 2 ^ 2");
    assertThat(sum.operator()).isEqualTo("+");
    Binary product = (Binary) sum.right();
    assertThat(product.operator()).isEqualTo("*");
    Binary power = (Binary) product.right();
    assertThat(power.right()).isInstanceOf(Binary.class); // right-associative

    Binary ratio = (Binary) Parser.parse("sum by (pod) (rate({a=\"x\"} |= \"error\" [5m])) / on (pod) group_left"
        + " sum by (pod) (rate({a=\"x\"}[5m])) > bool 0.1");
    assertThat(ratio.operator()).isEqualTo(">");
    assertThat(ratio.bool()).isTrue();
    Binary division = (Binary) ratio.left();
    assertThat(division.matching()).isEqualTo(new Expr.Matching(true, List.of("pod"), "group_left", List.of()));

    Binary or = (Binary) Parser.parse("rate({a=\"x\"}[1m]) or vector(0)");
    assertThat(or.operator()).isEqualTo("or");
    assertThat(or.right()).isEqualTo(new Expr.VectorLiteral(0));
  }

  @Test
  void labelReplaceAndNegativeNumbers() {
    Expr.LabelReplace r = (Expr.LabelReplace) Parser.parse(
        "label_replace(rate({a=\"x\"}[1m]), \"app\", \"$1\", \"pod\", \"(.*)-[a-z0-9]+\")");
    assertThat(r.destination()).isEqualTo("app");
    assertThat(r.regex()).isEqualTo("(.*)-[a-z0-9]+");
    assertThat(Parser.parse("-2")).isEqualTo(new Expr.Literal(-2));
  }

  @Test
  void commentsAreIgnored() {
    assertThat(log("{a=\"x\"} # the shop\n |= \"err\" # errors only").stages())
        .containsExactly(new LineFilter(LineOp.CONTAINS, List.of("err")));
  }

  @Test
  void syntaxErrorsSayWhatAndWhereAsLokiDoes() {
    assertThatThrownBy(() -> Parser.parse("{app=\"x\"} |= "))
        .hasMessage("parse error at line 1, col 14: syntax error: unexpected end of input, expecting STRING");
    assertThatThrownBy(() -> Parser.parse("{app=}"))
        .hasMessage("parse error at line 1, col 6: syntax error: unexpected }, expecting STRING");
    assertThatThrownBy(() -> Parser.parse("{app=\"x\"}\n | json | status >"))
        .hasMessageStartingWith("parse error at line 2, col 19: syntax error: unexpected end of input");
    assertThatThrownBy(() -> Parser.parse("{app=\"x\"} |= \"open"))
        .hasMessage("parse error at line 1, col 14: syntax error: unterminated string");
  }

  @Test
  void queriesThatLokiRefusesAreRefusedWithItsReason() {
    assertThatThrownBy(() -> Parser.parse("{app=~\".*\"}")).hasMessageContaining(
        "queries require at least one regexp or equality matcher that does not have an empty-compatible value");
    assertThatThrownBy(() -> Parser.parse("{}")).hasMessageContaining("queries require at least one");
    assertThatThrownBy(() -> Parser.parse("{app=\"x\"}[5m]")).hasMessageContaining("only allowed inside a range aggregation");
    assertThatThrownBy(() -> Parser.parse("sum_over_time({app=\"x\"}[5m])")).hasMessageContaining(
        "invalid aggregation sum_over_time without unwrap");
    assertThatThrownBy(() -> Parser.parse("count_over_time({app=\"x\"} | unwrap n [5m])")).hasMessageContaining(
        "invalid aggregation count_over_time with unwrap");
    assertThatThrownBy(() -> Parser.parse("count_over_time({app=\"x\"}[5m]) by (pod)")).hasMessageContaining(
        "grouping not allowed for count_over_time aggregation");
    assertThatThrownBy(() -> Parser.parse("{app=\"x\"} | regexp \"(\\\\w+)\"")).hasMessageContaining(
        "at least one named capture group");
    assertThatThrownBy(() -> Parser.parse("{app=\"x\"} | pattern \"<a><b>\"")).hasMessageContaining(
        "must be separated by a literal");
    assertThatThrownBy(() -> Parser.parse("{app=\"x\"} |~ \"(\"")).hasMessageContaining("error parsing regexp");
    assertThatThrownBy(() -> Parser.parse("rate({app=\"x\"}[5m]) + {app=\"x\"}")).hasMessageContaining(
        "a log query cannot be an operand");
    assertThatThrownBy(() -> Parser.parse("topk(0, rate({app=\"x\"}[5m]))")).hasMessageContaining(
        "invalid parameter for topk");
    assertThatThrownBy(() -> Parser.parse("rate({app=\"x\"}[5m]) + bool 1")).hasMessageContaining(
        "bool modifier can only be used on comparison operators");
  }

  @Test
  void durationsAndBytesReadAsGoAndHumanizeReadThem() {
    assertThat(Durations.millis("1h30m")).isEqualTo(5_400_000);
    assertThat(Durations.seconds("250ms")).isEqualTo(0.25);
    assertThat(Durations.seconds("1.5s")).isEqualTo(1.5);
    assertThat(Durations.millis("2d")).isEqualTo(172_800_000);
    assertThat(Bytes.parse("20KB")).isEqualTo(20_000);
    assertThat(Bytes.parse("1.5MiB")).isEqualTo(1_572_864);
    assertThat(Bytes.parse("42 mb")).isEqualTo(42_000_000);
    assertThat(Bytes.parse("7B")).isEqualTo(7);
  }

  @Test
  void linePatternsCaptureBetweenLiteralsFromTheStartOfTheLine() {
    LinePattern p = LinePattern.of("<ip> - - [<_>] \"<method> <path> <_>\" <status> <size>");
    assertThat(p.match("10.0.0.1 - - [02/Dec/2026:13:05:50 +0000] \"GET /api/cart HTTP/1.1\" 200 2675"))
        .containsEntry("ip", "10.0.0.1").containsEntry("method", "GET").containsEntry("path", "/api/cart")
        .containsEntry("status", "200").containsEntry("size", "2675").doesNotContainKey("_");
    assertThat(p.match("not an access line")).isNull();
    assertThat(LinePattern.of("<_> GET <_>").match("x GET y")).isEmpty();
    assertThat(LinePattern.of("level=<level> ").match("ts=1 level=info msg=x")).isNull();
  }
}
