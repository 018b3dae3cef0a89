package io.fleetlens.fuzz;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A small mutation fuzzer: from valid seeds, with a fixed random seed, it flips bits, overwrites,
 * inserts, deletes, repeats and splices bytes and drops in tokens parsers trip over, and hands each
 * input to a target until its time budget is spent. Each input runs on its own worker thread; an
 * exception not on the target's list of refusals, a run longer than {@code maxTimePerInput}
 * (a hang) or more than {@code maxAllocatedPerInput} bytes allocated (an unbounded allocation)
 * fails, naming the input in Base64 and the seed, so the failure can be replayed.
 */
final class Fuzzer {

  /** What one target may use: its random seed, its time, the size of inputs and the limits per input. */
  record Budget(long seed, Duration time, int maxInputBytes, Duration maxTimePerInput, long maxAllocatedPerInput) {

    /** The CI budget: seed fixed, {@code -Dfleetlens.fuzz.seconds} (default 3) per target. */
    static Budget ci() {
      return new Budget(Long.getLong("fleetlens.fuzz.seed", 20261130L),
          Duration.ofSeconds(Long.getLong("fleetlens.fuzz.seconds", 3)), 16 * 1024, Duration.ofSeconds(5),
          256L * 1024 * 1024);
    }
  }

  /** A parser under test. */
  @FunctionalInterface
  interface Target {
    void accept(byte[] input) throws Exception;
  }

  /** What a run did: how many inputs, and how many the target refused with an allowed exception. */
  record Report(String name, int inputs, int refused) {
  }

  private static final String[] TOKENS = {"\n", "\r\n", "\"", "\\", "{", "}", "[", "]", "(", ")", ",", ":", "=",
      "=~", "!~", " ", "\t", "#", "NaN", "+Inf", "-Inf", "1e308", "-1e-308", "99999999999999999999999",
      "0x7fffffff", "\u0000", "\u00ff", "\ud83d\ude00", "${", "{{", "}}", "*", "&&", "|", "[5m:1m]", "offset -5m",
      "@ 1e18", "&amp;", "%00", "--", "/*", "&#", "\u2028"};

  private Fuzzer() {
  }

  static Report run(String name, List<byte[]> seeds, Budget budget, Target target,
      Set<Class<? extends Throwable>> allowed) throws Exception {
    Random random = new Random(budget.seed() ^ name.hashCode());
    ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "fuzz-" + name);
      t.setDaemon(true);
      return t;
    });
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long deadline = System.nanoTime() + budget.time().toNanos();
    int inputs = 0;
    int refused = 0;
    try {
      for (byte[] seed : seeds) {
        refused += once(name, seed, budget, target, allowed, worker, threads) ? 0 : 1;
        inputs++;
      }
      while (System.nanoTime() < deadline) {
        byte[] input = mutate(seeds, random, budget.maxInputBytes());
        refused += once(name, input, budget, target, allowed, worker, threads) ? 0 : 1;
        inputs++;
      }
    } finally {
      worker.shutdownNow();
    }
    return new Report(name, inputs, refused);
  }

  /** True when the target took the input, false when it refused it as allowed; anything else throws. */
  private static boolean once(String name, byte[] input, Budget budget, Target target,
      Set<Class<? extends Throwable>> allowed, ExecutorService worker, com.sun.management.ThreadMXBean threads)
      throws Exception {
    Future<long[]> run = worker.submit(() -> {
      long thread = Thread.currentThread().threadId();
      long before = threads.getThreadAllocatedBytes(thread);
      long refusedFlag = 0;
      try {
        target.accept(input);
      } catch (Throwable e) {
        if (allowed.stream().noneMatch(a -> a.isInstance(e))) {
          throw new AssertionError(name + ": " + e + " on input (seed " + Budget.ci().seed() + ", base64) "
              + Base64.getEncoder().encodeToString(input), e);
        }
        refusedFlag = 1;
      }
      return new long[] {threads.getThreadAllocatedBytes(thread) - before, refusedFlag};
    });
    long[] result;
    try {
      result = run.get(budget.maxTimePerInput().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      run.cancel(true);
      throw new AssertionError(name + ": no answer within " + budget.maxTimePerInput() + " on input (base64) "
          + Base64.getEncoder().encodeToString(input));
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof AssertionError a ? a : new AssertionError(e.getCause());
    }
    if (result[0] > budget.maxAllocatedPerInput()) {
      throw new AssertionError(name + ": allocated " + result[0] + " bytes for an input of " + input.length
          + " bytes (base64) " + Base64.getEncoder().encodeToString(input));
    }
    return result[1] == 0;
  }

  static byte[] mutate(List<byte[]> seeds, Random random, int maxBytes) {
    byte[] b = seeds.get(random.nextInt(seeds.size())).clone();
    int rounds = 1 + random.nextInt(6);
    for (int r = 0; r < rounds; r++) {
      b = switch (random.nextInt(8)) {
        case 0 -> flip(b, random);
        case 1 -> overwrite(b, random);
        case 2 -> insert(b, random, randomBytes(random, 1 + random.nextInt(8)));
        case 3 -> delete(b, random);
        case 4 -> repeat(b, random, maxBytes);
        case 5 -> splice(b, seeds.get(random.nextInt(seeds.size())), random);
        case 6 -> insert(b, random, TOKENS[random.nextInt(TOKENS.length)].getBytes(StandardCharsets.UTF_8));
        default -> truncate(b, random);
      };
    }
    return b.length > maxBytes ? Arrays.copyOf(b, maxBytes) : b;
  }

  private static byte[] flip(byte[] b, Random r) {
    if (b.length > 0) {
      b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
    }
    return b;
  }

  private static byte[] overwrite(byte[] b, Random r) {
    if (b.length > 0) {
      b[r.nextInt(b.length)] = (byte) r.nextInt(256);
    }
    return b;
  }

  private static byte[] randomBytes(Random r, int n) {
    byte[] out = new byte[n];
    r.nextBytes(out);
    return out;
  }

  private static byte[] insert(byte[] b, Random r, byte[] what) {
    int at = b.length == 0 ? 0 : r.nextInt(b.length + 1);
    byte[] out = new byte[b.length + what.length];
    System.arraycopy(b, 0, out, 0, at);
    System.arraycopy(what, 0, out, at, what.length);
    System.arraycopy(b, at, out, at + what.length, b.length - at);
    return out;
  }

  private static byte[] delete(byte[] b, Random r) {
    if (b.length < 2) {
      return b;
    }
    int from = r.nextInt(b.length);
    int to = Math.min(b.length, from + 1 + r.nextInt(Math.max(1, b.length / 4)));
    byte[] out = new byte[b.length - (to - from)];
    System.arraycopy(b, 0, out, 0, from);
    System.arraycopy(b, to, out, from, b.length - to);
    return out;
  }

  /** A short run of bytes repeated many times in place: what makes parsers quadratic. */
  private static byte[] repeat(byte[] b, Random r, int maxBytes) {
    if (b.length == 0) {
      return b;
    }
    int from = r.nextInt(b.length);
    int len = Math.min(b.length - from, 1 + r.nextInt(16));
    int times = Math.max(1, Math.min(1 + r.nextInt(1024), (maxBytes - b.length) / len));
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(b.length + times * len);
    out.write(b, 0, from);
    for (int i = 0; i < times; i++) {
      out.write(b, from, len);
    }
    out.write(b, from, b.length - from);
    return out.toByteArray();
  }

  private static byte[] splice(byte[] a, byte[] b, Random r) {
    int cutA = a.length == 0 ? 0 : r.nextInt(a.length);
    int cutB = b.length == 0 ? 0 : r.nextInt(b.length);
    byte[] out = new byte[cutA + (b.length - cutB)];
    System.arraycopy(a, 0, out, 0, cutA);
    System.arraycopy(b, cutB, out, cutA, b.length - cutB);
    return out;
  }

  private static byte[] truncate(byte[] b, Random r) {
    return b.length == 0 ? b : Arrays.copyOf(b, r.nextInt(b.length));
  }

  static List<byte[]> utf8(String... seeds) {
    List<byte[]> out = new ArrayList<>();
    for (String s : seeds) {
      out.add(s.getBytes(StandardCharsets.UTF_8));
    }
    return out;
  }
}
