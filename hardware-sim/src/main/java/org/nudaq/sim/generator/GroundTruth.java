package org.nudaq.sim.generator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nudaq.monitor.config.DriftConfig;

/**
 * What the simulator really did: events per class and fate, true real and live times per reactor
 * state, the injected signal and the noise bursts. Tests compare the daemon's view with it.
 *
 * <p>Single writer (the generator's thread). Readers take a {@link #summary()} on that thread, or
 * after the generator stopped.
 */
public final class GroundTruth {
  static final int OFF = 0;
  static final int ON = 1;

  private final String[] hpgeNames;
  private final String[] naiNames;
  private final double injectedMuMuB;
  private final double injectedQE0;
  private final DriftConfig drift;
  private final int classes = EventClass.values().length;
  final long[][] triggered;
  final long[][] belowThreshold;
  final long[][] deadTimeLost;
  final long[][] naiTriggered;
  final long[] realTimeNs = new long[2];
  final long[][] deadTimeNs;
  long pendingOverflow;
  final List<long[]> burstsNs = new ArrayList<>();

  GroundTruth(String[] hpgeNames, String[] naiNames, double injectedMuMuB, double injectedQE0, DriftConfig drift) {
    this.drift = drift;
    this.hpgeNames = hpgeNames.clone();
    this.naiNames = naiNames.clone();
    this.injectedMuMuB = injectedMuMuB;
    this.injectedQE0 = injectedQE0;
    triggered = new long[hpgeNames.length][classes];
    belowThreshold = new long[hpgeNames.length][classes];
    deadTimeLost = new long[hpgeNames.length][classes];
    naiTriggered = new long[naiNames.length][classes];
    deadTimeNs = new long[hpgeNames.length][2];
  }

  /** Events of a class that triggered detector {@code d} and were handed to its board. */
  public long triggered(int d, EventClass c) {
    return triggered[d][c.ordinal()];
  }

  /** Events of a class that triggered NaI channel {@code n}. */
  public long naiTriggered(int n, EventClass c) {
    return naiTriggered[n][c.ordinal()];
  }

  /** Events of a class that fell below the threshold efficiency (never triggered). */
  public long belowThreshold(int d, EventClass c) {
    return belowThreshold[d][c.ordinal()];
  }

  /** Events lost in the digitizer's dead time after a previous trigger. */
  public long deadTimeLost(int d, EventClass c) {
    return deadTimeLost[d][c.ordinal()];
  }

  /** Real (wall-clock detector) time with the reactor in that state, s. */
  public double realTimeSeconds(boolean reactorOn) {
    return realTimeNs[reactorOn ? ON : OFF] * 1e-9;
  }

  /** True live time of detector {@code d} in that reactor state: real time minus digitizer dead time, s. */
  public double liveTimeSeconds(int d, boolean reactorOn) {
    int s = reactorOn ? ON : OFF;
    return (realTimeNs[s] - deadTimeNs[d][s]) * 1e-9;
  }

  /** The drift of the HPGe energy scale and resolution the simulator applied (and its pulser). */
  public DriftConfig drift() {
    return drift;
  }

  /**
   * The recorded energy of a true energy at detector time {@code timeNs}, keV: what the board encoded
   * with its nominal calibration, {@code E·gain(t) + offset(t)}.
   */
  public double recordedKeV(double trueKeV, long timeNs) {
    return trueKeV * drift.gainAt(timeNs) + drift.offsetKeVAt(timeNs);
  }

  /** Noise bursts, as [startNs, endNs) intervals. */
  public List<long[]> burstsNs() {
    return burstsNs;
  }

  /** A JSON-ready summary (maps and numbers only). */
  public Map<String, Object> summary() {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("injectedMuMuB", injectedMuMuB);
    root.put("injectedQE0", injectedQE0);
    root.put("realTimeSecondsOn", realTimeSeconds(true));
    root.put("realTimeSecondsOff", realTimeSeconds(false));
    List<Map<String, Object>> dets = new ArrayList<>();
    for (int d = 0; d < hpgeNames.length; d++) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("detector", hpgeNames[d]);
      m.put("liveTimeSecondsOn", liveTimeSeconds(d, true));
      m.put("liveTimeSecondsOff", liveTimeSeconds(d, false));
      m.put("triggered", byClass(triggered[d], true));
      m.put("belowThreshold", byClass(belowThreshold[d], true));
      m.put("deadTimeLost", byClass(deadTimeLost[d], true));
      dets.add(m);
    }
    root.put("detectors", dets);
    List<Map<String, Object>> nais = new ArrayList<>();
    for (int n = 0; n < naiNames.length; n++) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("channel", naiNames[n]);
      m.put("triggered", byClass(naiTriggered[n], false));
      nais.add(m);
    }
    root.put("nai", nais);
    root.put("noiseBursts", burstsNs.size());
    Map<String, Object> dr = new LinkedHashMap<>();
    dr.put("gainPerYear", drift.gainPerYear());
    dr.put("gainDailyAmplitude", drift.gainDailyAmplitude());
    dr.put("offsetKeVPerYear", drift.offsetKeVPerYear());
    dr.put("offsetDailyKeV", drift.offsetDailyKeV());
    dr.put("resolutionPerYear", drift.resolutionPerYear());
    List<Map<String, Object>> steps = new ArrayList<>();
    for (DriftConfig.Step st : drift.steps()) {
      steps.add(Map.of("atDays", st.atDays(), "gain", st.gain(), "offsetKeV", st.offsetKeV()));
    }
    dr.put("steps", steps);
    dr.put("pulserKeV", drift.pulserKeV());
    dr.put("pulserHz", drift.pulserHz());
    long endNs = realTimeNs[0] + realTimeNs[1];
    dr.put("gainAtEnd", drift.gainAt(endNs));
    dr.put("offsetKeVAtEnd", drift.offsetKeVAt(endNs));
    root.put("drift", dr);
    root.put("pendingOverflow", pendingOverflow);
    return root;
  }

  private static Map<String, Long> byClass(long[] counts, boolean hpge) {
    Map<String, Long> m = new LinkedHashMap<>();
    for (EventClass c : EventClass.values()) {
      if (c.isHpge() == hpge) {
        m.put(c.name().toLowerCase(java.util.Locale.ROOT), counts[c.ordinal()]);
      }
    }
    return m;
  }
}
