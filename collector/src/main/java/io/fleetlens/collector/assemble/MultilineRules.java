package io.fleetlens.collector.assemble;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Decides whether a line continues the entry before it on the same stream, so that a stack trace
 * becomes one record. With start patterns configured, a line matching any of them starts an entry
 * and every other line continues one. Without, built-in rules recognise Java and Node stack frames
 * and causes, Python tracebacks and Go panics: indented lines, {@code Caused by:}, {@code ... N more},
 * a Python exception line closing a traceback, and the goroutine dump after {@code panic:}.
 */
public final class MultilineRules {

  private static final Pattern JAVA_CONTINUATION = Pattern.compile(
      "^(?:Caused by: |Suppressed: |\\s*\\.\\.\\. \\d+ (?:more|common frames omitted))");
  private static final Pattern PYTHON_FINAL = Pattern.compile("^[A-Za-z_][\\w.]*(?:Error|Exception|Exit|Interrupt|Warning)(?::.*)?$");
  private static final Pattern GO_PANIC_START = Pattern.compile("^(?:panic: |fatal error: )");
  private static final Pattern GO_PANIC_BODY = Pattern.compile(
      "^(?:$|goroutine \\d+ |created by |exit status \\d+|\\[signal |[\\w./*()\\[\\]{}-]+\\(.*\\)$)");

  private final List<Pattern> startPatterns;
  private final boolean enabled;

  private MultilineRules(boolean enabled, List<Pattern> startPatterns) {
    this.enabled = enabled;
    this.startPatterns = startPatterns;
  }

  public static MultilineRules of(boolean enabled, List<String> startPatterns) {
    return new MultilineRules(enabled, startPatterns.stream().map(Pattern::compile).toList());
  }

  public boolean enabled() {
    return enabled;
  }

  /**
   * True when {@code line} belongs to the entry whose first line is {@code first} and whose last
   * line so far is {@code previous}.
   */
  public boolean continues(String first, String previous, String line) {
    if (!startPatterns.isEmpty()) {
      return startPatterns.stream().noneMatch(p -> p.matcher(line).find());
    }
    if (GO_PANIC_START.matcher(first).find()) {
      return GO_PANIC_BODY.matcher(line).find() || line.startsWith("\t");
    }
    if (!line.isEmpty() && Character.isWhitespace(line.charAt(0))) {
      return true;
    }
    if (JAVA_CONTINUATION.matcher(line).find()) {
      return true;
    }
    boolean inTraceback = first.startsWith("Traceback (most recent call last):");
    return inTraceback && !previous.isEmpty() && Character.isWhitespace(previous.charAt(0))
        && PYTHON_FINAL.matcher(line).matches();
  }
}
