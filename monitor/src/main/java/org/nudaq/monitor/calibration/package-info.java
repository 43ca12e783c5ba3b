/**
 * Online energy calibration of the HPGe channels (issue 17), without Netty or Chronicle: finding the
 * known lines in a channel's raw (ADC) spectrum by their pattern ({@link PatternSearch}), fitting each
 * ({@link PeakFitter}), the energy scale and resolution curve from the fitted lines ({@link EnergyScaleFit},
 * {@link ResolutionCurve}), and the per-channel bookkeeping of recent data, epochs and steps
 * ({@link ChannelCalibrator}). Everything here is deterministic for the same input, so a replay that
 * recalibrates from scratch gets the same epochs. Not thread-safe unless a class says so; the daemon runs
 * it on its calibration thread, or on the replay thread.
 */
package org.nudaq.monitor.calibration;
