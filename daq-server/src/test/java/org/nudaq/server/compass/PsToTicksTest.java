package org.nudaq.server.compass;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The reciprocal division equals Java's long division for every tick length and time stamp tried. */
class PsToTicksTest {
  @Test
  void equalsLongDivisionOverTheWholeRange() {
    long[] ticks = {1, 2, 3, 7, 1000, 1024, 1L << 40, Long.MAX_VALUE, 2000, 4000, 8000, 16_667, 1_000_000, 123_456_789_013L};
    PsToTicks div = new PsToTicks(ticks);
    SplittableRandom r = new SplittableRandom(3);
    for (int b = 0; b < ticks.length; b++) {
      long d = ticks[b];
      long[] edges = {0, 1, d - 1, d, d + 1, Long.MAX_VALUE, Long.MAX_VALUE - 1, Long.MAX_VALUE - d, (Long.MAX_VALUE / d) * d,
          (Long.MAX_VALUE / d) * d - 1, -1, -d, -d - 1, Long.MIN_VALUE};
      for (long ps : edges) {
        assertThat(div.of(b, ps)).as("ps=%d / tickPs=%d", ps, d).isEqualTo(ps / d);
      }
      for (int i = 0; i < 200_000; i++) {
        // Uniform in magnitude: every bit length from 0 to 63.
        long ps = r.nextLong() >>> r.nextInt(64);
        if (ps < 0) {
          ps = ~ps;
        }
        assertThat(div.of(b, ps)).isEqualTo(ps / d);
      }
    }
  }

  @Test
  void theConstantsInRegistersEqualLongDivisionOfEachTimeStampPlusTheOffset() {
    long[] ticks = {1, 3, 1000, 2500, 4000, 8000, 16_667, Long.MAX_VALUE};
    PsToTicks div = new PsToTicks(ticks);
    SplittableRandom r = new SplittableRandom(5);
    for (int b = 0; b < ticks.length; b++) {
      long d = ticks[b];
      long magic = div.magic(b);
      int shift = div.shift(b);
      assertThat(shift == -1).as("tickPs=%d divides", d).isEqualTo(d == 1);
      for (int round = 0; round < 100_000; round++) {
        long offsetPs = round % 3 == 0 ? 0 : r.nextLong() >>> r.nextInt(1, 64);
        long at = r.nextLong() >>> r.nextInt(1, 64);
        long ps = round % 17 == 0 ? Long.MAX_VALUE - offsetPs : at % (Long.MAX_VALUE - offsetPs); // offsetPs + ps >= 0
        long sum = offsetPs + ps;
        long got = shift < 0 ? div.of(b, sum) : PsToTicks.ofNonNegative(sum, magic, magic < 0 ? -1 : 0, shift);
        assertThat(got).as("tickPs=%d offsetPs=%d ps=%d", d, offsetPs, ps).isEqualTo(sum / d);
      }
    }
  }
}
