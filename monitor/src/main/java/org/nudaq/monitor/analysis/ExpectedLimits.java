package org.nudaq.monitor.analysis;

import org.nudaq.monitor.limits.Method;

/**
 * The expected (median, background-only) upper limits for an exposure, with their ±1σ band, in
 * physical units. Immutable.
 *
 * @param method             the interval construction assumed
 * @param confidenceLevel    e.g. 0.90
 * @param onLiveTimeDays     ON live time, days
 * @param offLiveTimeDays    OFF live time, days
 * @param muLimit            median expected limit on μν, μB
 * @param muMinus1           −1σ edge of the band, μB
 * @param muPlus1            +1σ edge of the band, μB
 * @param qLimit             median expected limit on |qν|, e0
 * @param qMinus1            −1σ edge, e0
 * @param qPlus1             +1σ edge, e0
 * @param thresholdEstimateQ eq. 6 bound on |qν| from the median μν limit, e0
 */
public record ExpectedLimits(
    Method method,
    double confidenceLevel,
    double onLiveTimeDays,
    double offLiveTimeDays,
    double muLimit,
    double muMinus1,
    double muPlus1,
    double qLimit,
    double qMinus1,
    double qPlus1,
    double thresholdEstimateQ) {}
