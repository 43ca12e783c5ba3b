/**
 * Online energy calibration in the daemon (issue 17): {@link org.nudaq.server.calibration.OnlineCalibration}
 * receives each HPGe channel's raw spectrum per calibration interval from the pipeline thread, fits it on the
 * "nudaq-calibration" thread (or inline, for a replay that recalibrates from scratch), and hands each new
 * calibration back to the pipeline thread, which journals it (CALIBRATION record) before applying it;
 * {@link org.nudaq.server.calibration.CalibrationHistory} keeps every attempt for the API, the metrics and the
 * per-run report. The fitting itself is {@code org.nudaq.monitor.calibration}.
 */
package org.nudaq.server.calibration;
