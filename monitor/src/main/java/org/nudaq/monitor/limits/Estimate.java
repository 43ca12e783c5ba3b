package org.nudaq.monitor.limits;

/**
 * The combined estimate X̂ ± σ of X over the analysis window (X in the caller's unit scale).
 *
 * <p>Immutable and thread-safe.
 *
 * @param xHat the estimate (may be negative: the unconstrained estimator)
 * @param sigma its standard deviation, &gt; 0
 * @param binsUsed bins of the window that entered (those with a signal rate &gt; 0)
 */
public record Estimate(double xHat, double sigma, int binsUsed) {}
