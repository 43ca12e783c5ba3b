package org.nudaq.monitor.physics;

/** The four fissioning isotopes whose antineutrino spectra make up a reactor's. */
public enum FissionIsotope {
  U235,
  U238,
  PU239,
  PU241
}
