package org.nudaq.monitor.limits;

/**
 * A confidence interval {@code [lower, upper]} on X (the squared parameter, in the caller's unit
 * scale). {@code lower == 0} means the interval is an upper limit.
 *
 * <p>Immutable and thread-safe.
 *
 * @param lower lower end, ≥ 0
 * @param upper upper end, ≥ lower
 */
public record ConfidenceInterval(double lower, double upper) {

  public ConfidenceInterval {
    if (!(lower >= 0.0) || !(upper >= lower)) {
      throw new IllegalArgumentException(
          "confidence interval needs 0 <= lower <= upper: lower=" + lower + " upper=" + upper);
    }
  }

  /** Whether the interval reaches down to the physical boundary X = 0 (an upper limit only). */
  public boolean isUpperLimitOnly() {
    return lower == 0.0;
  }

  /** Both ends multiplied by {@code factor} (≥ 0): used to go from units of σ to units of X. */
  public ConfidenceInterval scaled(double factor) {
    return new ConfidenceInterval(lower * factor, upper * factor);
  }
}
