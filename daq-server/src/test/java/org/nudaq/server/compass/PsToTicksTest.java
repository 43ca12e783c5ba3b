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
  void ofAllEqualsLongDivisionOfEachTimeStampPlusTheOffset() {
    long[] ticks = {1, 3, 1000, 2500, 4000, 8000, 16_667, Long.MAX_VALUE};
    PsToTicks div = new PsToTicks(ticks);
    SplittableRandom r = new SplittableRandom(5);
    for (int b = 0; b < ticks.length; b++) {
      long d = ticks[b];
      long[] ps = new long[64];
      long[] expected = new long[ps.length];
      for (int round = 0; round < 2_000; round++) {
        long offsetPs = round % 3 == 0 ? 0 : r.nextLong() >>> r.nextInt(1, 64);
        for (int i = 0; i < ps.length; i++) {
          long at = r.nextLong() >>> r.nextInt(1, 64);
          ps[i] = i % 17 == 0 ? Long.MAX_VALUE - offsetPs : at % (Long.MAX_VALUE - offsetPs); // offsetPs + ps[i] >= 0
          expected[i] = (offsetPs + ps[i]) / d;
        }
        ps[5] = -offsetPs - 1 - r.nextInt(1000); // a negative sum: Java's division too
        expected[5] = (offsetPs + ps[5]) / d;
        div.ofAll(b, offsetPs, ps, ps.length);
        assertThat(ps).as("tickPs=%d offsetPs=%d", d, offsetPs).isEqualTo(expected);
      }
    }
  }
}
