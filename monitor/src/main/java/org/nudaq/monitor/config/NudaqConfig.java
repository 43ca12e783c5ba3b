package org.nudaq.monitor.config;

import java.util.List;

/**
 * A whole nudaq configuration, as loaded from one YAML file by {@link ConfigLoader}. Immutable.
 *
 * @param source     where it was read from (file name as given), for messages
 * @param experiment a label for the set-up, e.g. GEMMA-I
 * @param reactor    the antineutrino source
 * @param physics    physics-model choices
 * @param detectors  the HPGe crystals (at least one; GEMMA-II has two)
 * @param analysis   binning and limit settings
 * @param digitizer  the digitizer boards and their channels
 * @param veto       the NaI anticoincidence and muon dead time
 * @param gates      flag, reactor-state and data-quality gates
 * @param http       the daemon's HTTP server
 * @param simulator  what the simulator generates (ignored by the daemon)
 * @param journal    the daemon's journal (Chronicle Queue) and its retention
 * @param compass    the channel map for importing CAEN CoMPASS list files
 * @param slowControl slow-control sensors and the data-quality rules on them
 * @param calibration online energy calibration of the HPGe channels (issue 17)
 */
public record NudaqConfig(
    String source,
    String experiment,
    ReactorConfig reactor,
    PhysicsConfig physics,
    List<DetectorConfig> detectors,
    AnalysisConfig analysis,
    DigitizerConfig digitizer,
    VetoConfig veto,
    GateConfig gates,
    HttpConfig http,
    SimulatorConfig simulator,
    JournalConfig journal,
    CompassConfig compass,
    SlowControlConfig slowControl,
    CalibrationConfig calibration) {

  public NudaqConfig {
    detectors = List.copyOf(detectors);
    slowControl = slowControl == null ? SlowControlConfig.NONE : slowControl;
    calibration = calibration == null ? CalibrationConfig.DISABLED : calibration;
  }

  /** A configuration without slow control and without online calibration (the fixed polynomials of the channels). */
  public NudaqConfig(String source, String experiment, ReactorConfig reactor, PhysicsConfig physics,
      List<DetectorConfig> detectors, AnalysisConfig analysis, DigitizerConfig digitizer, VetoConfig veto, GateConfig gates,
      HttpConfig http, SimulatorConfig simulator, JournalConfig journal, CompassConfig compass) {
    this(source, experiment, reactor, physics, detectors, analysis, digitizer, veto, gates, http, simulator, journal, compass,
        SlowControlConfig.NONE, CalibrationConfig.DISABLED);
  }

  /** A configuration with slow control but without online calibration. */
  public NudaqConfig(String source, String experiment, ReactorConfig reactor, PhysicsConfig physics,
      List<DetectorConfig> detectors, AnalysisConfig analysis, DigitizerConfig digitizer, VetoConfig veto, GateConfig gates,
      HttpConfig http, SimulatorConfig simulator, JournalConfig journal, CompassConfig compass, SlowControlConfig slowControl) {
    this(source, experiment, reactor, physics, detectors, analysis, digitizer, veto, gates, http, simulator, journal, compass,
        slowControl, CalibrationConfig.DISABLED);
  }

  /** A configuration with online calibration but without slow control. */
  public NudaqConfig(String source, String experiment, ReactorConfig reactor, PhysicsConfig physics,
      List<DetectorConfig> detectors, AnalysisConfig analysis, DigitizerConfig digitizer, VetoConfig veto, GateConfig gates,
      HttpConfig http, SimulatorConfig simulator, JournalConfig journal, CompassConfig compass, CalibrationConfig calibration) {
    this(source, experiment, reactor, physics, detectors, analysis, digitizer, veto, gates, http, simulator, journal, compass,
        SlowControlConfig.NONE, calibration);
  }

  /** A copy with other online-calibration settings. */
  public NudaqConfig withCalibration(CalibrationConfig c) {
    return new NudaqConfig(source, experiment, reactor, physics, detectors, analysis, digitizer, veto, gates, http, simulator,
        journal, compass, slowControl, c);
  }

  /** A copy with other digitizer boards (tests, command-line overrides). */
  public NudaqConfig withDigitizer(DigitizerConfig d) {
    return new NudaqConfig(source, experiment, reactor, physics, detectors, analysis, d, veto, gates, http, simulator, journal, compass, slowControl, calibration);
  }

  /** A copy with other gates. */
  public NudaqConfig withGates(GateConfig g) {
    return new NudaqConfig(source, experiment, reactor, physics, detectors, analysis, digitizer, veto, g, http, simulator, journal, compass, slowControl, calibration);
  }

  /** A copy with another HTTP server setting. */
  public NudaqConfig withHttp(HttpConfig h) {
    return new NudaqConfig(source, experiment, reactor, physics, detectors, analysis, digitizer, veto, gates, h, simulator, journal, compass, slowControl, calibration);
  }

  /** A copy with other simulator settings. */
  public NudaqConfig withSimulator(SimulatorConfig s) {
    return new NudaqConfig(source, experiment, reactor, physics, detectors, analysis, digitizer, veto, gates, http, s, journal, compass, slowControl, calibration);
  }

  /** A copy with other journal settings. */
  public NudaqConfig withJournal(JournalConfig j) {
    return new NudaqConfig(source, experiment, reactor, physics, detectors, analysis, digitizer, veto, gates, http, simulator, j, compass, slowControl, calibration);
  }

  /** A copy with another CoMPASS channel map. */
  public NudaqConfig withCompass(CompassConfig c) {
    return new NudaqConfig(source, experiment, reactor, physics, detectors, analysis, digitizer, veto, gates, http, simulator, journal, c, slowControl, calibration);
  }

  /** A copy with other slow-control sensors and rules. */
  public NudaqConfig withSlowControl(SlowControlConfig s) {
    return new NudaqConfig(source, experiment, reactor, physics, detectors, analysis, digitizer, veto, gates, http, simulator, journal, compass, s, calibration);
  }

  /** Total germanium mass of all detectors, kg. */
  public double totalMassKg() {
    double m = 0;
    for (DetectorConfig d : detectors) {
      m += d.massKg();
    }
    return m;
  }

  static NudaqConfig bind(String source, ConfigNode root) {
    String experiment = root.text("experiment", "nudaq");
    ReactorConfig reactor = ReactorConfig.bind(sub(root, "reactor"));
    PhysicsConfig physics = PhysicsConfig.bind(sub(root, "physics"));
    List<DetectorConfig> detectors = root.list("detectors", DetectorConfig::bind);
    if (detectors.isEmpty()) {
      root.error("detectors", "needs at least one detector");
    }
    java.util.Set<String> names = new java.util.HashSet<>();
    double lowest = Double.NaN;
    for (int i = 0; i < detectors.size(); i++) {
      DetectorConfig d = detectors.get(i);
      if (!names.add(d.name())) {
        root.error("detectors[" + i + "].name", "duplicate detector name '" + d.name() + "'");
      }
      if (Double.isNaN(lowest) || d.thresholdKeV() < lowest) {
        lowest = d.thresholdKeV();
      }
    }
    AnalysisConfig analysis = AnalysisConfig.bind(sub(root, "analysis"), lowest);
    DigitizerConfig digitizer = DigitizerConfig.bind(sub(root, "digitizer"), detectors);
    VetoConfig veto = VetoConfig.bind(sub(root, "veto"));
    GateConfig gates = GateConfig.bind(sub(root, "gates"));
    if (gates.qualityBandHighKeV() <= lowest) {
      root.error("gates.qualityBandHighKeV", "must be above the lowest threshold (" + ConfigNode.format(lowest) + " keV), got "
          + ConfigNode.format(gates.qualityBandHighKeV()));
    }
    HttpConfig http = HttpConfig.bind(sub(root, "http"));
    SimulatorConfig simulator = SimulatorConfig.bind(sub(root, "simulator"));
    JournalConfig journal = JournalConfig.bind(sub(root, "journal"));
    CompassConfig compass = CompassConfig.bind(sub(root, "compass"));
    SlowControlConfig slowControl = SlowControlConfig.bind(sub(root, "slowControl"));
    CalibrationConfig calibration = CalibrationConfig.bind(sub(root, "calibration"));
    return new NudaqConfig(source, experiment, reactor, physics, detectors, analysis, digitizer, veto, gates, http, simulator, journal, compass, slowControl, calibration);
  }

  private static ConfigNode sub(ConfigNode parent, String key) {
    return parent.object(key);
  }
}
