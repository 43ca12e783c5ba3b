package org.nudaq.server.compass;

import java.math.BigInteger;

/**
 * Picosecond time stamps to board ticks, {@code ps / tickPs} exactly, without a 64-bit division per
 * record (tens of cycles, against a few tens of nanoseconds for the whole pipeline): a multiplication
 * by a precomputed reciprocal, as compilers do for constant divisors. For {@code 0 <= n < 2^63} and
 * {@code d >= 2}, with {@code l = ceil(log2 d)} and {@code m = ceil(2^(63+l) / d) < 2^64},
 * {@code floor(n·m / 2^(63+l)) = floor(n / d)}: the error term {@code n·(m·d − 2^(63+l)) / (d·2^(63+l))}
 * stays below {@code 1/d} (Granlund and Montgomery 1994; Hacker's Delight, ch. 10). One time stamp at a time
 * ({@link #of}; read unsigned: {@link #toTicks(int, long)}), or a column of them in place
 * ({@link #toTicks(int, long[], int, long)}: the feed's, C1-friendly). Immutable.
 */
final class PsToTicks {
  private final long[] tickPs;
  /** The low 64 bits of m (m itself is unsigned, below 2^64). */
  private final long[] magic;
  /** l − 1, or −1 for d = 1. */
  private final int[] shift;

  /** @param tickPs tick length by board id, ps (0 for ids that are not boards) */
  PsToTicks(long[] tickPs) {
    this.tickPs = tickPs.clone();
    magic = new long[tickPs.length];
    shift = new int[tickPs.length];
    for (int b = 0; b < tickPs.length; b++) {
      long d = tickPs[b];
      if (d <= 1) {
        shift[b] = -1; // d = 1 (or no board): plain division
        continue;
      }
      int l = 64 - Long.numberOfLeadingZeros(d - 1);
      BigInteger[] qr = BigInteger.ONE.shiftLeft(63 + l).divideAndRemainder(BigInteger.valueOf(d));
      BigInteger m = qr[1].signum() == 0 ? qr[0] : qr[0].add(BigInteger.ONE);
      magic[b] = m.longValue();
      shift[b] = l - 1;
    }
  }

  /** {@code ps / tickPs[board]}, as Java's division (the readers reject negative time stamps). */
  long of(int board, long ps) {
    int s = shift[board];
    if (ps < 0 || s < 0) {
      return ps / tickPs[board];
    }
    long m = magic[board];
    // The high 64 bits of the unsigned 128-bit product ps·m (ps >= 0, below 2^63), shifted.
    return ofNonNegative(ps, m, m < 0 ? -1 : 0, s);
  }

  /**
   * One value of {@link #toTicks(int, long[], int, long)}: {@code ⌊x / tickPs[board]⌋} with {@code x} read as an
   * unsigned count of ps (0 to 2^64 − 1), e.g. {@link CompassTimeBase}'s {@code remPs + ts}. The same reciprocal
   * below 2^63 ({@link Math#multiplyHigh}, which the column's written-out product equals: PsToTicksTest), unsigned
   * division from there.
   */
  long toTicks(int board, long x) {
    int s = shift[board];
    if (x < 0 || s < 0) {
      return Long.divideUnsigned(x, tickPs[board]);
    }
    long m = magic[board];
    return ofNonNegative(x, m, m < 0 ? -1 : 0, s);
  }

  /**
   * {@link #of} for {@code ps >= 0} and a board whose shift is not −1, from that board's constants
   * ({@code negative} = −1 if the magic is negative, else 0).
   */
  private static long ofNonNegative(long ps, long magic, long negative, int shift) {
    return (Math.multiplyHigh(ps, magic) + (ps & negative)) >>> shift;
  }

  /**
   * Board {@code board}'s ticks of {@code ps[0]} to {@code ps[count - 1]}, in place: {@code baseTicks + ⌊x / tickPs⌋}
   * with each x read as an unsigned count of ps (the feed's {@code remPs + ts} of {@link CompassTimeBase}: both
   * below 2^63, their sum below 2^64). The time stamps of one board frame made ticks in one loop (issue 19). Its
   * multiplication is written out here (four 32 × 32-bit products) instead of calling {@link Math#multiplyHigh}:
   * C1, the only compiler of a short replay, does not make that an intrinsic, and a call per value spills every
   * register of the loop around it.
   * The high 64 bits of the unsigned product x·m (0 ≤ x &lt; 2^63, m &lt; 2^64 unsigned), with x = xh·2^32 + xl and
   * m = mh·2^32 + ml (xh &lt; 2^31; xl, mh, ml &lt; 2^32):
   * x·m = xh·mh·2^64 + (xh·ml + xl·mh)·2^32 + xl·ml, so high = xh·mh + ⌊xl·mh / 2^32⌋ + ⌊mid / 2^32⌋ with
   * mid = ⌊xl·ml / 2^32⌋ + (xl·mh mod 2^32) + xh·ml &lt; 2^32 + 2^32 + 2^63 (read unsigned: below 2^64, exact); each
   * product is below 2^64 and read unsigned ({@code >>>}, masks). An x of 2^63 or more (a time stamp within a tick
   * of 2^63 ps plus the base's ps) takes {@link Long#divideUnsigned}. PsToTicksTest checks it against {@link #of}
   * (Math.multiplyHigh) and unsigned division. Allocation-free.
   */
  void toTicks(int board, long[] ps, int count, long baseTicks) {
    int s = shift[board];
    long d = tickPs[board];
    if (s < 0) {
      for (int k = 0; k < count; k++) {
        ps[k] = baseTicks + Long.divideUnsigned(ps[k], d);
      }
      return;
    }
    long m = magic[board];
    long ml = m & 0xFFFFFFFFL;
    long mh = m >>> 32;
    for (int k = 0; k < count; k++) {
      long x = ps[k];
      if (x < 0) {
        ps[k] = baseTicks + Long.divideUnsigned(x, d); // 2^63 or more, read unsigned (rare: see above)
        continue;
      }
      long xl = x & 0xFFFFFFFFL;
      long xh = x >>> 32;
      long lh = xl * mh;
      long mid = (xl * ml >>> 32) + (lh & 0xFFFFFFFFL) + xh * ml;
      ps[k] = baseTicks + ((xh * mh + (lh >>> 32) + (mid >>> 32)) >>> s);
    }
  }
}
