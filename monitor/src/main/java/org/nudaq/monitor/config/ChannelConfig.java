package org.nudaq.monitor.config;

/**
 * One digitizer input and what is connected to it.
 *
 * @param channel     channel number on its board
 * @param role        what the channel reads
 * @param detector    for {@link Role#HPGE}: the name of the detector in {@code detectors}; for NaI
 *                    channels the veto segment's label
 * @param calibration energy calibration, keV = Σ c_k · adc^k (at least offset and gain)
 */
public record ChannelConfig(int channel, Role role, String detector, double[] calibration) {

  /** What a channel reads. */
  public enum Role {
    HPGE,
    NAI
  }

  public ChannelConfig {
    calibration = calibration.clone();
  }

  @Override
  public double[] calibration() {
    return calibration.clone();
  }

  /** Energy in keV for an ADC value, by Horner's rule. Allocation-free. */
  public double energyKeV(int adc) {
    double e = 0;
    for (int k = calibration.length - 1; k >= 0; k--) {
      e = e * adc + calibration[k];
    }
    return e;
  }

  /** The ADC value closest to an energy, for a linear calibration (the simulator's inverse). */
  public int adcForKeV(double energyKeV) {
    if (calibration.length != 2) {
      throw new IllegalStateException("inverse calibration needs a linear calibration, channel " + channel + " has " + calibration.length + " terms");
    }
    return (int) Math.round((energyKeV - calibration[0]) / calibration[1]);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChannelConfig c && c.channel == channel && c.role == role
        && c.detector.equals(detector) && java.util.Arrays.equals(c.calibration, calibration);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(channel, role, detector, java.util.Arrays.hashCode(calibration));
  }

  @Override
  public String toString() {
    return "ChannelConfig[channel=" + channel + ", role=" + role + ", detector=" + detector
        + ", calibration=" + java.util.Arrays.toString(calibration) + "]";
  }

  static ChannelConfig bind(ConfigNode n) {
    int ch = n.integer("channel", -1);
    if (ch < 0 || ch > 0xFFFF) {
      n.error("channel", "is required, 0..65535, got " + ch);
    }
    Role role = n.choice("role", Role.class, null);
    if (role == null && !n.has("role")) {
      n.error("role", "is required (hpge or nai)");
    }
    String detector = n.text("detector", role == Role.NAI ? "nai" : null);
    if (detector == null) {
      n.error("detector", "is required for an hpge channel (a name from detectors)");
      detector = "?";
    }
    double[] cal = n.numbers("calibration", null);
    if (cal == null) {
      n.error("calibration", "is required: [offsetKeV, keVPerAdc(, quadratic...)]");
      cal = new double[] {0, 1};
    } else if (cal.length < 2) {
      n.error("calibration", "needs at least an offset and a gain, got " + cal.length + " terms");
      cal = new double[] {0, 1};
    } else if (!(cal[1] > 0)) {
      n.error("calibration", "gain (second term) must be > 0, got " + ConfigNode.format(cal[1]));
    }
    return new ChannelConfig(ch, role == null ? Role.HPGE : role, detector, cal);
  }
}
