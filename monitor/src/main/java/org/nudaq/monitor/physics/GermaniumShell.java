package org.nudaq.monitor.physics;

/**
 * Atomic shells of germanium: binding energy (keV) and occupancy. Values of physics.md (XTANT-3 Ge
 * data file, eV converted to keV); the N shell is bound by ~0 and always counts as free.
 */
public enum GermaniumShell {
  K(11.107, 2),
  L1(1.413, 2),
  L2(1.251, 2),
  L3(1.220, 4),
  M1(0.184, 2),
  M2(0.130, 2),
  M3(0.125, 4),
  M4(0.033, 4),
  M5(0.032, 6),
  N(0.0, 4);

  private final double bindingEnergyKeV;
  private final int electrons;

  GermaniumShell(double bindingEnergyKeV, int electrons) {
    this.bindingEnergyKeV = bindingEnergyKeV;
    this.electrons = electrons;
  }

  public double bindingEnergyKeV() {
    return bindingEnergyKeV;
  }

  public int electrons() {
    return electrons;
  }
}
