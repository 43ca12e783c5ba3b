/**
 * Experiment-level analysis shared by the daemon and the commands: the expected-rate templates over each
 * detector's analysis window (with the decaying X-ray lines masked, their widths from the configured resolution or
 * the online calibration's epochs: {@code LineWidths}, named in every result by {@code LineMasks}; what the limits
 * take from applied epochs, {@code CalibrationInputs}, for the daemon and, from a {@code CalibrationReport} file, for
 * {@code nudaq limits --calibration}), the limits and
 * expected limits of a whole experiment in physical units, and the toy coverage study of those limits. Templates
 * and results are immutable and usable from any thread, as is {@code ExperimentLimits.Model} (the folded part
 * built once, from which limits with other mask widths and energy-scale constraints are derived);
 * {@code ExperimentLimits} and {@code CoverageStudy} have one owner thread each; the caller owns the spectra it
 * passes in.
 */
package org.nudaq.monitor.analysis;
