package org.nudaq.server.link;

import java.util.SplittableRandom;

/**
 * Capped exponential backoff with jitter for reconnecting: delay n is initial·2^n, at most max,
 * times a random factor in [0.5, 1.5) so that several boards do not reconnect in lockstep.
 * Single-threaded (the link's event loop).
 */
public final class Backoff {
  private final long initialMs;
  private final long maxMs;
  private final SplittableRandom random;
  private int attempt;

  public Backoff(long initialMs, long maxMs, long seed) {
    this.initialMs = initialMs;
    this.maxMs = maxMs;
    this.random = new SplittableRandom(seed);
  }

  /** The delay before the next attempt, ms; each call counts one attempt. */
  public long nextDelayMs() {
    long base = initialMs << Math.min(attempt, 30);
    if (base <= 0 || base > maxMs) {
      base = maxMs;
    }
    attempt++;
    return Math.max(1, (long) (base * (0.5 + random.nextDouble())));
  }

  /** The longest delay before the random factor, ms. */
  public long maxMs() {
    return maxMs;
  }

  /** After a successful connection. */
  public void reset() {
    attempt = 0;
  }
}
