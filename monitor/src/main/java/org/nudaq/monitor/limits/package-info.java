/**
 * Statistics of the running limits: per-bin ON/OFF estimators, Feldman–Cousins and profile-likelihood
 * constructions, expected sensitivity, and {@code RunningLimits}, which one writer thread fills and recomputes.
 * Pure computation, no I/O; each class states its thread contract.
 */
package org.nudaq.monitor.limits;
