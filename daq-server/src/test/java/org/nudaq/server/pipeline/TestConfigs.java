package org.nudaq.server.pipeline;

import java.nio.file.Path;
import java.util.List;
import org.nudaq.monitor.config.BoardConfig;
import org.nudaq.monitor.config.ChannelConfig;
import org.nudaq.monitor.config.ConfigLoader;
import org.nudaq.monitor.config.DigitizerConfig;
import org.nudaq.monitor.config.GateConfig;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.config.SimulatorConfig;

/** The GEMMA-I profile from config/, with the changes a test needs. */
final class TestConfigs {
  private TestConfigs() {}

  static NudaqConfig gemma1() {
    return new ConfigLoader().load(Path.of("../config/gemma-1.yaml"));
  }

  static NudaqConfig withGates(NudaqConfig c, GateConfig g) {
    return c.withGates(g);
  }

  static NudaqConfig withSimulator(NudaqConfig c, SimulatorConfig s) {
    return c.withSimulator(s);
  }

  /** gates with: pile-up/saturation rejection, state source, margin, slice length. */
  static GateConfig gates(NudaqConfig c, boolean pileup, boolean saturated, GateConfig.ReactorStateSource source,
      double marginSeconds, double sliceSeconds) {
    GateConfig g = c.gates();
    return new GateConfig(pileup, saturated, source, marginSeconds, sliceSeconds, g.qualityBandHighKeV(),
        g.qualityMaxRatio(), g.mergeIdleTimeoutSeconds());
  }

  /** Adds a second board (id 1) with one NaI channel (channel 0). */
  static NudaqConfig withSecondNaiBoard(NudaqConfig c) {
    BoardConfig b0 = c.digitizer().boards().get(0);
    BoardConfig b1 = new BoardConfig(1, "127.0.0.1", 9402, 4.0, 16,
        List.of(new ChannelConfig(0, ChannelConfig.Role.NAI, "nai-2", new double[] {0.0, 0.2})));
    return c.withDigitizer(new DigitizerConfig(List.of(b0, b1), c.digitizer().reconnectInitialMs(),
        c.digitizer().reconnectMaxMs(), c.digitizer().connectTimeoutMs()));
  }
}
