package org.nudaq.monitor.analysis;

import java.time.Instant;
import org.nudaq.monitor.limits.LimitResult;
import org.nudaq.monitor.limits.Method;

/**
 * The limits on μν and qν from one set of ON/OFF spectra, in physical units. Immutable.
 *
 * @param computedAt         the caller's time of the computation
 * @param method             the interval construction used
 * @param confidenceLevel    e.g. 0.90
 * @param onLiveTimeDays     ON live time after the gates of the first detector, days
 * @param offLiveTimeDays    OFF live time after the gates of the first detector, days
 * @param muHat2             estimate of μν², μB² (may be negative)
 * @param muSigma2           its standard deviation, μB²
 * @param muLimit            upper limit on μν, μB
 * @param muExpected         expected limit (median sensitivity) on μν for this exposure, μB: the configured
 *                           background model at the detectors' live times, as {@code nudaq sensitivity}
 * @param muExpectedMinus1   −1σ edge of the expected-limit band, μB
 * @param muExpectedPlus1    +1σ edge of the expected-limit band, μB
 * @param qHat2              estimate of qν², e0²
 * @param qSigma2            its standard deviation, e0²
 * @param qLimit             upper limit on |qν|, e0
 * @param qExpected          expected limit on |qν|, e0
 * @param qExpectedMinus1    −1σ edge, e0
 * @param qExpectedPlus1     +1σ edge, e0
 * @param thresholdEstimateQ eq. 6 bound on |qν| from the μν limit at the lowest threshold, e0
 * @param mu                 the raw result on X = μν² in (1e-11 μB)²
 * @param q                  the raw result on X = qν² in (1e-12 e0)²
 * @param onExposureKgDays   ON exposure after the gates, Σ over detectors of mass × live time, kg·day
 * @param offExposureKgDays  OFF exposure after the gates, kg·day
 * @param systematics        the joint fit, nuisances and cross-section models; null when the limits were
 *                           built without systematic templates
 * @param lineMasks          the widths of the line masks and where they came from (configured resolution or
 *                           the online calibration's epochs); null when unknown (a result built by hand)
 */
public record ExperimentResult(
    Instant computedAt,
    Method method,
    double confidenceLevel,
    double onLiveTimeDays,
    double offLiveTimeDays,
    double muHat2,
    double muSigma2,
    double muLimit,
    double muExpected,
    double muExpectedMinus1,
    double muExpectedPlus1,
    double qHat2,
    double qSigma2,
    double qLimit,
    double qExpected,
    double qExpectedMinus1,
    double qExpectedPlus1,
    double thresholdEstimateQ,
    LimitResult mu,
    LimitResult q,
    double onExposureKgDays,
    double offExposureKgDays,
    SystematicResult systematics,
    LineMasks lineMasks) {

  /** A result without the line masks' provenance (the form before issue 17 wired the calibration in). */
  public ExperimentResult(Instant computedAt, Method method, double confidenceLevel, double onLiveTimeDays,
      double offLiveTimeDays, double muHat2, double muSigma2, double muLimit, double muExpected,
      double muExpectedMinus1, double muExpectedPlus1, double qHat2, double qSigma2, double qLimit,
      double qExpected, double qExpectedMinus1, double qExpectedPlus1, double thresholdEstimateQ, LimitResult mu,
      LimitResult q, double onExposureKgDays, double offExposureKgDays, SystematicResult systematics) {
    this(computedAt, method, confidenceLevel, onLiveTimeDays, offLiveTimeDays, muHat2, muSigma2, muLimit, muExpected,
        muExpectedMinus1, muExpectedPlus1, qHat2, qSigma2, qLimit, qExpected, qExpectedMinus1, qExpectedPlus1,
        thresholdEstimateQ, mu, q, onExposureKgDays, offExposureKgDays, systematics, null);
  }

  /** A result without the systematic part (the form before it existed). */
  public ExperimentResult(Instant computedAt, Method method, double confidenceLevel, double onLiveTimeDays,
      double offLiveTimeDays, double muHat2, double muSigma2, double muLimit, double muExpected,
      double muExpectedMinus1, double muExpectedPlus1, double qHat2, double qSigma2, double qLimit,
      double qExpected, double qExpectedMinus1, double qExpectedPlus1, double thresholdEstimateQ, LimitResult mu,
      LimitResult q, double onExposureKgDays, double offExposureKgDays) {
    this(computedAt, method, confidenceLevel, onLiveTimeDays, offLiveTimeDays, muHat2, muSigma2, muLimit, muExpected,
        muExpectedMinus1, muExpectedPlus1, qHat2, qSigma2, qLimit, qExpected, qExpectedMinus1, qExpectedPlus1,
        thresholdEstimateQ, mu, q, onExposureKgDays, offExposureKgDays, null, null);
  }
}
