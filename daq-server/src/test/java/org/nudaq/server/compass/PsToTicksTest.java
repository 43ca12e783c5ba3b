package org.nudaq.server.compass;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/**
 * The reciprocal division equals Java's long division for every tick length and time stamp tried, one at a time
 * and as the feed's column (issue 19: the column's product written out for C1 must stay bit-identical), and the
 * one-value unsigned form the time base's status ticks take ({@link PsToTicks#toTicks(int, long)}).
 */
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

  /**
   * The column conversion the feed uses ({@link PsToTicks#toTicks}: the product written out for C1) equals
   * {@link PsToTicks#of} (Math.multiplyHigh) and Java's division, value for value: every tick length of the
   * boards we know and extremes, time stamps of every bit length, the edges around multiples of the tick and
   * of 2^32 (where the written-out product carries from one half into the other), values of 2^63 and more (read
   * unsigned: a time stamp near 2^63 ps plus the base's ps), each plus a base of whole ticks.
   */
  @Test
  void theColumnConversionEqualsTheOneByOneConversionAndLongDivision() {
    long[] ticks = {1, 2, 3, 7, 1000, 1024, 2000, 2500, 4000, 8000, 16_667, 1_000_000, 123_456_789_013L, 1L << 40,
        (1L << 62) + 1, Long.MAX_VALUE};
    PsToTicks div = new PsToTicks(ticks);
    SplittableRandom r = new SplittableRandom(5);
    long[] column = new long[CompassRecordColumns.CAPACITY];
    for (int b = 0; b < ticks.length; b++) {
      long d = ticks[b];
      for (int round = 0; round < 300; round++) {
        int count = r.nextInt(column.length + 1);
        long[] ps = new long[count];
        for (int k = 0; k < count; k++) {
          ps[k] = switch (r.nextInt(6)) {
            case 0 -> r.nextLong() >>> r.nextInt(1, 64); // every bit length
            case 1 -> (r.nextLong() >>> r.nextInt(1, 64)) / d * d + r.nextInt(-1, 2); // around a multiple of d
            case 2 -> ((r.nextLong() >>> r.nextInt(1, 32)) << 32) + r.nextInt(-2, 3); // around a multiple of 2^32
            case 3 -> Long.MAX_VALUE - r.nextInt(0, 1 << 20);
            case 4 -> r.nextLong(); // 2^63 or more half the time: read unsigned
            default -> r.nextLong(0, 1L << 48); // a run of months, the usual range
          };
        }
        System.arraycopy(ps, 0, column, 0, count);
        if (count < column.length) {
          column[count] = 42; // beyond count: untouched
        }
        long baseTicks = r.nextInt(3) == 0 ? 0 : r.nextLong(0, 1L << 50);
        div.toTicks(b, column, count, baseTicks);
        for (int k = 0; k < count; k++) {
          long expected = baseTicks + Long.divideUnsigned(ps[k], d);
          assertThat(column[k]).as("tickPs=%d ps=%d base=%d", d, ps[k], baseTicks).isEqualTo(expected);
          assertThat(baseTicks + div.toTicks(b, ps[k])).as("one value: tickPs=%d ps=%d", d, ps[k]).isEqualTo(expected);
          if (ps[k] >= 0) {
            assertThat(column[k] - baseTicks).isEqualTo(div.of(b, ps[k])).isEqualTo(ps[k] / d);
          }
        }
        if (count < column.length) {
          assertThat(column[count]).isEqualTo(42);
        }
      }
    }
  }

  /** The same, as a property over any tick length and time stamp (jqwik adds the edge values: 0, ±1, the extremes). */
  @Property(tries = 20_000)
  void theColumnConversionEqualsLongDivisionForAnyTickAndTimeStamp(@ForAll @LongRange(min = 1) long tickPs, @ForAll long ps,
      @ForAll @LongRange(min = 0) long nonNegativePs) {
    PsToTicks div = new PsToTicks(new long[] {0, tickPs});
    long[] column = {ps, nonNegativePs, nonNegativePs / tickPs * tickPs, Math.max(0, nonNegativePs / tickPs * tickPs - 1)};
    long[] expected = new long[column.length];
    for (int k = 0; k < column.length; k++) {
      expected[k] = Long.divideUnsigned(column[k], tickPs);
      if (column[k] >= 0) {
        assertThat(div.of(1, column[k])).isEqualTo(expected[k]);
      }
    }
    for (int k = 0; k < column.length; k++) {
      assertThat(div.toTicks(1, column[k])).as("one value of %d", column[k]).isEqualTo(expected[k]);
    }
    div.toTicks(1, column, column.length, 0);
    assertThat(column).containsExactly(expected);
  }
}
