package org.nudaq.server.pipeline;

/**
 * Comparisons as arithmetic, for the per-event path's tests that combine a common and a rare condition into one
 * branch. Why it exists (issue 19, JIT): javac compiles a comparison used as a value ({@code a < b}, {@code a && b})
 * into branches, which the JIT profiles one by one; a branch its profile never saw taken (a rare case: a cut
 * event, a crossing of the quiet time) is compiled as an uncommon trap, and the first time it
 * is taken C2 throws away the compiled method with everything inlined into it ({@code -XX:+LogCompilation}:
 * {@code unstable_if}). Stateless; thread-safe.
 */
final class NoBranch {
  private NoBranch() {}

  /**
   * 1 if {@code x < y}, else 0, for every pair of longs (the sign of {@code x - y}, corrected where the subtraction
   * overflows: Warren, Hacker's Delight, 2nd ed., section 2-12).
   */
  static int lessThan(long x, long y) {
    long d = x - y;
    return (int) ((d ^ ((x ^ y) & (d ^ x))) >>> 63);
  }

  /** 1 if {@code i < n}, else 0, for {@code i} and {@code n} at least 0 (indices, sizes). */
  static int below(int i, int n) {
    return (i - n) >>> 31;
  }
}
