package org.nudaq.server.compass;

import java.math.BigInteger;

/**
 * Picosecond time stamps to board ticks, {@code ps / tickPs} exactly, without a 64-bit division per
 * record (tens of cycles, against a few tens of nanoseconds for the whole pipeline): a multiplication
 * by a precomputed reciprocal, as compilers do for constant divisors. For {@code 0 <= n < 2^63} and
 * {@code d >= 2}, with {@code l = ceil(log2 d)} and {@code m = ceil(2^(63+l) / d) < 2^64},
 * {@code floor(n·m / 2^(63+l)) = floor(n / d)}: the error term {@code n·(m·d − 2^(63+l)) / (d·2^(63+l))}
 * stays below {@code 1/d} (Granlund and Montgomery 1994; Hacker's Delight, ch. 10). Immutable.
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
    // The high 64 bits of the unsigned 128-bit product ps·m (ps >= 0): below 2^63.
    long high = Math.multiplyHigh(ps, m) + (m < 0 ? ps : 0);
    return high >>> s;
  }

  /**
   * {@code ps[i] = (offsetPs + ps[i]) / tickPs[board]} for {@code i < count}, in place: {@link #of} for a
   * board frame's time stamps at once (the constants looked up once, one call instead of one per record).
   */
  void ofAll(int board, long offsetPs, long[] ps, int count) {
    int s = shift[board];
    long m = magic[board];
    if (s < 0) {
      for (int i = 0; i < count; i++) {
        ps[i] = of(board, offsetPs + ps[i]);
      }
      return;
    }
    long negative = m < 0 ? -1 : 0;
    for (int i = 0; i < count; i++) {
      long at = offsetPs + ps[i];
      if (at < 0) {
        ps[i] = at / tickPs[board];
      } else {
        ps[i] = (Math.multiplyHigh(at, m) + (at & negative)) >>> s;
      }
    }
  }
}
