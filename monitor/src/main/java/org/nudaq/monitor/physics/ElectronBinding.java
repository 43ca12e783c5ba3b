package org.nudaq.monitor.physics;

/**
 * How atomic binding of the Ge electrons is treated. Thread-safe (stateless).
 *
 * <ul>
 *   <li>{@link #FREE_ELECTRON}: all 32 electrons scatter as free electrons at rest.
 *   <li>{@link #STEPPING}: at recoil T only electrons bound by less than T scatter (as free ones);
 *       good for Ge to ~1% (Kouzakov, Studenikin, Voloshin, JETP Lett. 93 (2011) 623).
 * </ul>
 */
public enum ElectronBinding {
  FREE_ELECTRON {
    @Override
    public int electronsPerAtom(double recoilKeV) {
      return PhysicalConstants.GERMANIUM_ATOMIC_NUMBER;
    }
  },
  STEPPING {
    @Override
    public int electronsPerAtom(double recoilKeV) {
      int count = 0;
      for (GermaniumShell shell : SHELLS) {
        if (shell.bindingEnergyKeV() < recoilKeV) {
          count += shell.electrons();
        }
      }
      return count;
    }
  };

  private static final GermaniumShell[] SHELLS = GermaniumShell.values();

  /** Electrons per Ge atom that scatter at recoil energy T (keV). */
  public abstract int electronsPerAtom(double recoilKeV);

  /** Electrons per kg of Ge that scatter at recoil energy T (keV). */
  public double electronsPerKg(double recoilKeV) {
    return PhysicalConstants.GERMANIUM_ATOMS_PER_KG * electronsPerAtom(recoilKeV);
  }
}
