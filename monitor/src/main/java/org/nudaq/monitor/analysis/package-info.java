/**
 * Experiment-level analysis shared by the daemon and the commands: the expected-rate templates over each
 * detector's analysis window (with the decaying X-ray lines masked), the limits and expected limits of a
 * whole experiment in physical units, and the toy coverage study of those limits. Templates and results are
 * immutable and usable from any thread; {@code ExperimentLimits} and {@code CoverageStudy} have one owner
 * thread each; the caller owns the spectra it passes in.
 */
package org.nudaq.monitor.analysis;
