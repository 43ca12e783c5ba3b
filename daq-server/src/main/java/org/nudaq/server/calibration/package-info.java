/**
 * Online energy calibration in the daemon (issue 17): {@link org.nudaq.server.calibration.OnlineCalibration}
 * receives each HPGe channel's raw spectrum per calibration interval from the pipeline thread, fits it on the
 * "nudaq-calibration" thread (or inline, for a replay that recalibrates from scratch), and hands each new
 * calibration back to the pipeline thread, which journals it (CALIBRATION record) before applying it;
 * {@link org.nudaq.server.calibration.CalibrationHistory} keeps every attempt for the API, the metrics and the
 * per-run report, each applied one with the pipeline data time at which it took effect.
 * {@link org.nudaq.server.calibration.CalibratedLimits} (on the "nudaq-limits" thread, or a replay's) gives
 * the running limits the line masks' widths and energy-scale constraints of the epochs applied up to each
 * snapshot's data time ({@code org.nudaq.monitor.analysis.CalibrationInputs}, immutable, shared with
 * {@code nudaq limits --calibration}). Across restarts:
 * {@link org.nudaq.server.calibration.CalibrationState} is the calibration's state as a checkpoint section
 * (written on the pipeline thread under the calibration's lock), {@link org.nudaq.server.calibration.CalibrationAtStop}
 * the same state at a clean stop for the next session. The fitting itself is {@code org.nudaq.monitor.calibration}.
 */
package org.nudaq.server.calibration;
