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
    // The high 64 bits of the unsigned 128-bit product ps·m (ps >= 0, below 2^63), shifted.
    return ofNonNegative(ps, m, m < 0 ? -1 : 0, s);
  }

  /**
   * {@link #of} for {@code ps >= 0} and a board whose {@link #shift} is not −1, from that board's constants
   * ({@link #magic}, {@code negative} = −1 if the magic is negative, else 0): for a caller that keeps them
   * in registers over many time stamps (small enough for C1 to inline).
   */
  static long ofNonNegative(long ps, long magic, long negative, int shift) {
    return (Math.multiplyHigh(ps, magic) + (ps & negative)) >>> shift;
  }

  /** The low 64 bits of board {@code board}'s reciprocal m ({@link #ofNonNegative}). */
  long magic(int board) {
    return magic[board];
  }

  /** The shift of board {@code board}'s conversion ({@link #magic}), or −1: {@link #of} divides. */
  int shift(int board) {
    return shift[board];
  }
}
