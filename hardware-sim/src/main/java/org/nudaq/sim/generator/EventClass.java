package org.nudaq.sim.generator;

/**
 * The physical origin of a simulated event: the simulator's ground truth, never sent on the wire.
 * The daemon sees only channel, time, energy and flags, exactly as with a real digitizer.
 */
public enum EventClass {
  /** Weak (Standard Model) antineutrino-electron scattering in the HPGe; reactor ON only. */
  NEUTRINO_WEAK(true),
  /** Scattering through an injected neutrino magnetic moment; reactor ON only. */
  NEUTRINO_MAGNETIC(true),
  /** Scattering through an injected neutrino millicharge; reactor ON only. */
  NEUTRINO_MILLICHARGE(true),
  /** Flat HPGe continuum that survives the veto (no NaI partner). */
  CONTINUUM(true),
  /** A gamma scattered in both HPGe and NaI: the HPGe part (to be vetoed). */
  COMPTON_HPGE(true),
  /** Cosmogenic K/L-shell X-ray line in the HPGe. */
  XRAY_LINE(true),
  /** Tritium beta decay in the HPGe. */
  TRITIUM(true),
  /** Electronic noise trigger near the HPGe threshold. */
  NOISE(true),
  /** Microphonic noise burst trigger in the HPGe. */
  NOISE_BURST(true),
  /** An HPGe event induced by a muon (neutrons), delayed after the muon by up to tens of microseconds. */
  MUON_INDUCED(true),
  /** A pulser signal injected into the HPGe preamplifier (simulator.drift.pulser); only electronic noise widens it. */
  PULSER(true),
  /** NaI singles from ambient gammas. */
  NAI_SINGLE(false),
  /** The NaI partner of a Compton event. */
  NAI_COMPTON(false),
  /** A cosmic muon crossing the NaI (large, saturating energy). */
  NAI_MUON(false);

  private final boolean hpge;

  EventClass(boolean hpge) {
    this.hpge = hpge;
  }

  /** Whether the event is seen in an HPGe channel (else in an NaI channel). */
  public boolean isHpge() {
    return hpge;
  }

  private static final EventClass[] VALUES = values();

  /** The class with that ordinal, without allocating a values() array. */
  public static EventClass of(int ordinal) {
    return VALUES[ordinal];
  }
}
