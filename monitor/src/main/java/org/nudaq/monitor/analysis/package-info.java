/**
 * Experiment-level analysis shared by the daemon and the commands: the expected-rate templates over each
 * detector's analysis window, and the limits and expected limits of a whole experiment in physical units.
 * Stateless or immutable, usable from any thread; the caller owns the spectra it passes in.
 */
package org.nudaq.monitor.analysis;
