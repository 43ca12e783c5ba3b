/**
 * Statistics of the running limits: per-bin ON/OFF estimators, the Feldman–Cousins (Gaussian, and
 * Poisson for one bin with known background) and profile-likelihood constructions, the adaptive
 * rebinning of the few-count construction, expected sensitivity, and {@code RunningLimits}, which
 * one writer thread fills and recomputes. Pure computation, no I/O; each class states its thread
 * contract.
 */
package org.nudaq.monitor.limits;
