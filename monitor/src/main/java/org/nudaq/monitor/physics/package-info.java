/**
 * The signal model: reactor antineutrino spectrum, ν̄e–e⁻ cross sections (weak, magnetic moment, millicharge)
 * with Ge atomic binding, detector response and binned expected spectra. Values of ../shared/physics.md; immutable
 * and thread-safe.
 */
package org.nudaq.monitor.physics;
