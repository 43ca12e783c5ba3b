package org.nudaq.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** NoBranch's comparisons against Java's own, at the ends of the ranges (where a subtraction overflows) and at random. */
class NoBranchTest {
  private static final long[] EDGES = {Long.MIN_VALUE, Long.MIN_VALUE + 1, Long.MIN_VALUE / 2, -2, -1, 0, 1, 2,
      Long.MAX_VALUE / 2, Long.MAX_VALUE - 1, Long.MAX_VALUE};

  @Test
  void lessThanIsTheSignedComparisonForEveryPair() {
    for (long x : EDGES) {
      for (long y : EDGES) {
        assertThat(NoBranch.lessThan(x, y)).as("%d < %d", x, y).isEqualTo(x < y ? 1 : 0);
      }
    }
    SplittableRandom random = new SplittableRandom(19);
    for (int k = 0; k < 100_000; k++) {
      long x = random.nextLong();
      long y = k % 2 == 0 ? random.nextLong() : x + random.nextInt(-3, 4); // neighbours too
      assertThat(NoBranch.lessThan(x, y)).as("%d < %d", x, y).isEqualTo(x < y ? 1 : 0);
    }
  }

  @Test
  void belowIsTheComparisonOfIndices() {
    int[] values = {0, 1, 2, 1000, Integer.MAX_VALUE - 1, Integer.MAX_VALUE};
    for (int i : values) {
      for (int n : values) {
        assertThat(NoBranch.below(i, n)).as("%d < %d", i, n).isEqualTo(i < n ? 1 : 0);
      }
    }
  }
}
