package org.nudaq.sim;

import org.nudaq.monitor.config.ConfigLoader;
import org.nudaq.monitor.config.NudaqConfig;

/**
 * The small configuration the simulator's board and TCP tests run: one 1 kg HPGe detector and one board
 * with channel 0 HPGe (5 eV/ADC) and channel 3 NaI (0.2 keV/ADC), 4 ns ticks, a 16-bit ADC; the
 * simulator section is the test's.
 */
public final class OneBoardProfile {
  private OneBoardProfile() {}

  /**
   * Simulator keys for a busy day ON: NaI singles at 2 kHz, muons at 5 Hz, Compton 2000/(keV·kg·day), no
   * noise bursts, aggregates of at most 64 events; seeded with {@code seed}.
   */
  public static String busyDay(long seed) {
    return """
        seed: %d
        schedule: [{state: on, days: 1}]
        burstEveryDays: 0
        naiSinglesHz: 2000
        muonHz: 5
        comptonPerKeVKgDay: 2000
        aggregateMaxEvents: 64
        """.formatted(seed);
  }

  /** The profile with board {@code boardId} and {@code simulatorYaml} as the simulator section's keys. */
  public static NudaqConfig parse(String name, int boardId, String simulatorYaml) {
    return new ConfigLoader().parse(name, """
        reactor: {thermalPowerMW: 3000, distanceM: 13.9}
        detectors:
          - {name: ge, massKg: 1.0, thresholdKeV: 2.0, thresholdWidthKeV: 0.1, noiseFwhmKeV: 0.5, backgroundPerKeVKgDay: 1000}
        analysis: {spectrumLowKeV: 0, spectrumHighKeV: 100, windowHighKeV: 55}
        digitizer:
          boards:
            - id: %d
              port: 9401
              tickNs: 4
              adcBits: 16
              channels:
                - {channel: 0, role: hpge, detector: ge, calibration: [0.0, 0.005]}
                - {channel: 3, role: nai, calibration: [0.0, 0.2]}
        simulator:
        %s
        """.formatted(boardId, simulatorYaml.indent(2)));
  }
}
