package io.fleetlens.testkit;

import java.util.BitSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fleetlens.core.logs.LogRecord;

/** Counts which numbered lines ({@code ... #<n> ...}) arrived, and how many arrived more than once. */
public final class NumberedLines {

  private static final Pattern NUMBER = Pattern.compile("#(\\d+)");

  private final BitSet seen = new BitSet();
  private int duplicates;
  private int arrived;

  public void add(LogRecord record) {
    Matcher m = NUMBER.matcher(record.message());
    while (m.find()) {
      int n = Integer.parseInt(m.group(1));
      if (seen.get(n)) {
        duplicates++;
      }
      seen.set(n);
      arrived++;
    }
  }

  public int distinct() {
    return seen.cardinality();
  }

  public boolean has(int n) {
    return seen.get(n);
  }

  public int arrived() {
    return arrived;
  }

  public int duplicates() {
    return duplicates;
  }

  public int missingBelow(int total) {
    return total - seen.get(0, total).cardinality();
  }
}
