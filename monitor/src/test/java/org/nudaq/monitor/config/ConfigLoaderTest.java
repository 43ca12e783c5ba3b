package org.nudaq.monitor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  private final ConfigLoader loader = new ConfigLoader();

  private static final String VALID = """
      experiment: test
      reactor:
        thermalPowerMW: 3000
        distanceM: 13.9
      detectors:
        - name: hpge-1
          massKg: 1.5
          thresholdKeV: 2.8
          noiseFwhmKeV: 1.0
          backgroundPerKeVKgDay: 2.5
      analysis:
        windowHighKeV: 55
      """;

  @Test
  void loadsTheGemmaOneProfileWithThePhysicsMdNumbers() {
    NudaqConfig c = loader.load(Path.of("../config/gemma-1.yaml"));
    assertThat(c.experiment()).isEqualTo("GEMMA-I");
    assertThat(c.reactor().thermalPowerMW()).isEqualTo(3000);
    assertThat(c.reactor().distanceM()).isEqualTo(13.9);
    // "2.7e13" is a string to a YAML 1.1 parser (no sign in the exponent); it must still load as a number.
    assertThat(c.reactor().fluxOverridePerCm2PerS()).hasValue(2.7e13);
    assertThat(c.reactor().fissionFractions()).containsEntry("u235", 0.58).containsEntry("pu241", 0.05);
    assertThat(c.reactor().energyPerFissionMeV()).containsEntry("pu239", 211.12);
    assertThat(c.physics().binding()).isEqualTo(PhysicsConfig.Binding.STEPPING);
    assertThat(c.detectors()).hasSize(1);
    assertThat(c.detectors().get(0).massKg()).isEqualTo(1.5);
    assertThat(c.detectors().get(0).thresholdKeV()).isEqualTo(2.8);
    assertThat(c.analysis().windowLowKeV()).isEqualTo(2.8);
    assertThat(c.analysis().windowHighKeV()).isEqualTo(55);
    assertThat(c.analysis().binCount()).isEqualTo(1000);
    assertThat(c.analysis().publishedMuLimitMuB()).isEqualTo(2.9e-11);
  }

  @Test
  void gemmaTwoHasTwoDetectorsOfThreeKilograms() {
    NudaqConfig c = loader.load(Path.of("../config/gemma-2.yaml"));
    assertThat(c.detectors()).extracting(DetectorConfig::name).containsExactly("hpge-1", "hpge-2");
    assertThat(c.totalMassKg()).isEqualTo(6.0);
    assertThat(c.reactor().fluxOverridePerCm2PerS()).hasValue(5.4e13);
    assertThat(c.detectors().get(0).thresholdKeV()).isEqualTo(1.5);
  }

  @Test
  void gemmaThreeHasA350EvThreshold() {
    NudaqConfig c = loader.load(Path.of("../config/gemma-3.yaml"));
    assertThat(c.detectors()).allSatisfy(d -> assertThat(d.thresholdKeV()).isEqualTo(0.35));
  }

  @Test
  void appliesDefaultsForOmittedKeys() {
    NudaqConfig c = loader.parse("mem.yaml", VALID);
    assertThat(c.reactor().fluxOverridePerCm2PerS()).isEmpty();
    assertThat(c.reactor().spectrumModel()).isEqualTo(ReactorConfig.SpectrumModel.HUBER_MUELLER);
    assertThat(c.reactor().fissionFractions()).isEqualTo(ReactorConfig.DEFAULT_FISSION_FRACTIONS);
    assertThat(c.physics().sin2ThetaW()).isEqualTo(0.2386);
    assertThat(c.detectors().get(0).fanoFactor()).isEqualTo(0.11);
    assertThat(c.analysis().binWidthKeV()).isEqualTo(0.1);
    assertThat(c.analysis().windowLowKeV()).as("window starts at the threshold").isEqualTo(2.8);
    assertThat(c.analysis().confidenceLevel()).isEqualTo(0.90);
    assertThat(c.analysis().limitMethod()).isEqualTo(AnalysisConfig.LimitMethod.FELDMAN_COUSINS);
  }

  @Test
  void negativeMassNamesFileKeyPathAndValue(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("bad.yaml");
    Files.writeString(f, VALID.replace("massKg: 1.5", "massKg: -1.5"));
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> loader.load(f));
    assertThat(e.getMessage()).isEqualTo(f + ": detectors[0].massKg: must be > 0, got -1.5");
  }

  @Test
  void unknownKeysAreErrorsAtEveryLevel() {
    String text = VALID.replace("distanceM: 13.9", "distanceM: 13.9\n  distanseM: 14")
        .replace("experiment: test", "experiment: test\nreactr: {}")
        .replace("massKg: 1.5", "massKg: 1.5\n    masKg: 2");
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> loader.parse("x.yaml", text));
    assertThat(e.errors()).extracting(ConfigError::keyPath)
        .containsExactlyInAnyOrder("reactor.distanseM", "reactr", "detectors[0].masKg");
    assertThat(e.getMessage()).contains("x.yaml: reactor.distanseM: unknown key (known keys here:")
        .contains("distanceM");
  }

  @Test
  void wrongTypesAreNamed() {
    String text = VALID.replace("massKg: 1.5", "massKg: heavy").replace("thermalPowerMW: 3000", "thermalPowerMW: [3000]");
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> loader.parse("t.yaml", text));
    assertThat(e.getMessage())
        .contains("t.yaml: detectors[0].massKg: must be a number, got 'heavy'")
        .contains("t.yaml: reactor.thermalPowerMW: must be a number, got a list");
  }

  @Test
  void missingRequiredKeysAreNamed() {
    String text = VALID.replace("    noiseFwhmKeV: 1.0\n", "").replace("  distanceM: 13.9\n", "");
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> loader.parse("m.yaml", text));
    assertThat(e.getMessage())
        .contains("m.yaml: reactor.distanceM: is required (a number)")
        .contains("m.yaml: detectors[0].noiseFwhmKeV: is required (a number)");
  }

  @Test
  void fissionFractionsMustSumToOneAndNameKnownIsotopes() {
    String text = VALID.replace("distanceM: 13.9", "distanceM: 13.9\n  fissionFractions: {u235: 0.5, pu239: 0.3, th232: 0.1}");
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> loader.parse("f.yaml", text));
    assertThat(e.getMessage())
        .contains("f.yaml: reactor.fissionFractions.th232: unknown key")
        .contains("f.yaml: reactor.fissionFractions: must sum to 1, got 0.8");
  }

  @Test
  void badEnumValueListsTheChoices() {
    String text = VALID.replace("distanceM: 13.9", "distanceM: 13.9\n  spectrumModel: daya-bay");
    assertThatThrownBy(() -> loader.parse("e.yaml", text))
        .hasMessage("e.yaml: reactor.spectrumModel: must be one of [huber-mueller, vogel-engel], got 'daya-bay'");
  }

  @Test
  void analysisWindowOutsideTheSpectrumIsRejected() {
    String text = VALID.replace("windowHighKeV: 55", "windowHighKeV: 150");
    assertThatThrownBy(() -> loader.parse("w.yaml", text))
        .hasMessageContaining("w.yaml: analysis.windowLowKeV: the analysis window 2.8..150 keV must lie inside the spectrum range 0..100 keV");
  }

  @Test
  void linesDefaultToThePhysicsMdTableAndAreMaskedAtThreeSigma() {
    AnalysisConfig a = loader.parse("l.yaml", VALID).analysis();
    assertThat(a.lineTreatment()).isEqualTo(AnalysisConfig.LineTreatment.MASK);
    assertThat(a.lineMaskSigmas()).isEqualTo(3.0);
    assertThat(a.minCountsPerMergedBin()).isEqualTo(20);
    assertThat(a.lines()).extracting(AnalysisConfig.Line::energyKeV)
        .containsExactly(10.37, 9.66, 8.98, 8.33, 7.11, 6.54, 5.99, 5.47, 4.97, 1.30, 1.10);
    String own = VALID.replace("windowHighKeV: 55", "windowHighKeV: 55\n  lineMaskSigmas: 2\n  lines:\n"
        + "    - {name: Ga-K, parent: 71Ge, energyKeV: 10.37, halfLifeDays: 11.4}\n    - {name: pulser, energyKeV: 40}");
    AnalysisConfig b = loader.parse("o.yaml", own).analysis();
    assertThat(b.lineMaskSigmas()).isEqualTo(2.0);
    assertThat(b.lines()).hasSize(2);
    assertThat(b.lines().get(1).halfLifeDays()).isNaN();
  }

  @Test
  void lineFitIsRejectedAsNotImplementedAndBadLinesAreNamed() {
    String fit = VALID.replace("windowHighKeV: 55", "windowHighKeV: 55\n  lineTreatment: fit");
    assertThatThrownBy(() -> loader.parse("f.yaml", fit))
        .hasMessageContaining("f.yaml: analysis.lineTreatment: fit is not implemented in this version; use mask (or none)");
    String bad = VALID.replace("windowHighKeV: 55", "windowHighKeV: 55\n  lineMaskSigmas: -1\n  lines:\n    - {name: x, energyKeV: -3}");
    assertThatThrownBy(() -> loader.parse("g.yaml", bad))
        .hasMessageContaining("analysis.lineMaskSigmas").hasMessageContaining("analysis.lines[0].energyKeV");
  }

  @Test
  void binWidthMustDivideTheRange() {
    String text = VALID.replace("windowHighKeV: 55", "windowHighKeV: 55\n  binWidthKeV: 0.3");
    assertThatThrownBy(() -> loader.parse("b.yaml", text))
        .hasMessageContaining("b.yaml: analysis.binWidthKeV: must divide the spectrum range 0..100 keV into whole bins, got 0.3");
  }

  @Test
  void duplicateDetectorNamesAndEmptyDetectorListAreRejected() {
    String detector = VALID.substring(VALID.indexOf("  - name"), VALID.indexOf("analysis:"));
    String two = VALID.replace("analysis:", detector + "analysis:");
    assertThatThrownBy(() -> loader.parse("d.yaml", two))
        .hasMessageContaining("d.yaml: detectors[1].name: duplicate detector name 'hpge-1'");
    String none = "reactor: {thermalPowerMW: 1, distanceM: 1}\nanalysis: {windowHighKeV: 55}\n";
    assertThatThrownBy(() -> loader.parse("n.yaml", none)).hasMessageContaining("n.yaml: detectors: needs at least one detector");
  }

  @Test
  void everyErrorIsReportedAtOnce() {
    String text = VALID.replace("massKg: 1.5", "massKg: 0").replace("thermalPowerMW: 3000", "thermalPowerMW: -1")
        .replace("windowHighKeV: 55", "windowHighKeV: 55\n  confidenceLevel: 1.5");
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> loader.parse("all.yaml", text));
    assertThat(e.errors()).hasSize(3);
    assertThat(e.getMessage().lines()).containsExactlyInAnyOrder(
        "all.yaml: reactor.thermalPowerMW: must be > 0, got -1",
        "all.yaml: detectors[0].massKg: must be > 0, got 0",
        "all.yaml: analysis.confidenceLevel: must be between 0.5 and 0.9999 (exclusive), got 1.5");
  }

  @Test
  void yamlSyntaxErrorGivesLineAndColumn() {
    ConfigException e = catchThrowableOfType(ConfigException.class,
        () -> loader.parse("s.yaml", "reactor:\n  thermalPowerMW: 3000\n   distanceM: [1, 2\n"));
    assertThat(e.getMessage()).startsWith("s.yaml: not valid YAML at line ");
  }

  @Test
  void missingFileIsNamed() {
    assertThatThrownBy(() -> loader.load(Path.of("no/such/file.yaml")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("no/such/file.yaml: no such file");
  }

  @Test
  void topLevelMustBeAMapping() {
    assertThatThrownBy(() -> loader.parse("l.yaml", "- a\n- b\n"))
        .hasMessage("l.yaml: the top level must be a mapping of sections (reactor, detectors, ...)");
  }

  @Test
  void digitizerDefaultsToOneBoardWithAnHpgeChannelPerDetectorAndAnNaiChannel() {
    NudaqConfig c = loader.parse("mem.yaml", VALID);
    assertThat(c.digitizer().boards()).hasSize(1);
    BoardConfig b = c.digitizer().boards().get(0);
    assertThat(b.port()).isEqualTo(9401);
    assertThat(b.channel(0).role()).isEqualTo(ChannelConfig.Role.HPGE);
    assertThat(b.channel(0).detector()).isEqualTo("hpge-1");
    assertThat(b.channel(1).role()).isEqualTo(ChannelConfig.Role.NAI);
  }

  @Test
  void calibrationIsAPolynomialInAdc() {
    ChannelConfig c = new ChannelConfig(0, ChannelConfig.Role.HPGE, "d", new double[] {0.5, 0.01, 1e-6});
    // 0.5 + 0.01·1000 + 1e-6·1000² = 0.5 + 10 + 1 = 11.5 keV
    assertThat(c.energyKeV(1000)).isCloseTo(11.5, org.assertj.core.data.Offset.offset(1e-12));
    ChannelConfig linear = new ChannelConfig(0, ChannelConfig.Role.HPGE, "d", new double[] {0.0, 0.005});
    assertThat(linear.adcForKeV(10.37)).isEqualTo(2074);
  }

  @Test
  void gemmaTwoReadsEachCrystalThroughItsOwnBoard() {
    NudaqConfig c = loader.load(Path.of("../config/gemma-2.yaml"));
    assertThat(c.digitizer().boards()).extracting(BoardConfig::port).containsExactly(9401, 9402);
    assertThat(c.simulator().seed()).isEqualTo(2);
    assertThat(c.simulator().xrayLines()).isEqualTo(SimulatorConfig.DEFAULT_XRAY_LINES);
  }

  @Test
  void digitizerMistakesAreNamed() {
    String text = VALID + """
        digitizer:
          boards:
            - {id: 0, port: 9401, channels: [{channel: 0, role: hpge, detector: hpge-9, calibration: [0, 0.005]},
                                             {channel: 0, role: nai, calibration: [0]}]}
            - {id: 0, port: 70000, channels: [{channel: 1, role: germanium, calibration: [0, 1]}]}
        """;
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> loader.parse("dg.yaml", text));
    assertThat(e.getMessage().lines()).contains(
        "dg.yaml: digitizer.boards[0].channels[0].detector: names no detector in detectors: 'hpge-9'",
        "dg.yaml: digitizer.boards[0].channels[1].calibration: needs at least an offset and a gain, got 1 terms",
        "dg.yaml: digitizer.boards[0].channels[1].channel: duplicate channel 0 on board 0",
        "dg.yaml: digitizer.boards[1].port: is required, 1..65535, got 70000",
        "dg.yaml: digitizer.boards[1].id: duplicate board id 0",
        "dg.yaml: digitizer.boards[1].channels[0].role: must be one of [hpge, nai], got 'germanium'",
        "dg.yaml: digitizer.boards: detector 'hpge-1' must be read by exactly one hpge channel, found 0");
  }

  @Test
  void simulatorMistakesAreNamed() {
    String text = VALID + """
        simulator:
          schedule: [{state: maybe, days: 3}, {state: on, days: -1}]
          muonHz: -2
          xrayLines: [{name: x, energyKeV: 10, halfLifeDays: 0, initialPerKgDay: 1}]
        """;
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> loader.parse("sim.yaml", text));
    assertThat(e.getMessage().lines()).containsExactlyInAnyOrder(
        "sim.yaml: simulator.schedule[0].state: must be on or off, got 'maybe'",
        "sim.yaml: simulator.schedule[1].days: must be > 0, got -1",
        "sim.yaml: simulator.muonHz: must be >= 0, got -2",
        "sim.yaml: simulator.xrayLines[0].halfLifeDays: must be > 0, got 0");
  }

  @Test
  void journalDefaultsToDailyFilesKeptForeverWithATenGibAlarm() {
    JournalConfig j = loader.parse("mem.yaml", VALID).journal();
    assertThat(j.enabled()).isTrue();
    assertThat(j.directory()).isEqualTo("journal");
    assertThat(j.rollCycle()).isEqualTo(JournalConfig.RollCycle.FAST_DAILY);
    assertThat(j.retentionCycles()).isZero();
    // 10 GiB = 10 · 2^30 bytes = 10 737 418 240 bytes
    assertThat(j.diskFreeAlarmBytes()).isEqualTo(10_737_418_240L);
    assertThat(j.checkpointIntervalSeconds()).isEqualTo(300);
    assertThat(j.checkpointsEnabled()).isTrue();
    assertThat(j.checkpointsKept()).isEqualTo(3);
    assertThat(j.checkpointDirectory()).isEqualTo("checkpoints");
  }

  @Test
  void checkpointKeysAreBoundAndValidatedWithKeyPaths() {
    JournalConfig j = loader.parse("mem.yaml", VALID + """
        journal:
          checkpointIntervalSeconds: 0.5
          checkpointsKept: 5
          checkpointDirectory: /var/nudaq/state
        """).journal();
    assertThat(j).isEqualTo(new JournalConfig(true, "journal", JournalConfig.RollCycle.FAST_DAILY, 0, 10, 0.5, 5, "/var/nudaq/state"));
    JournalConfig off = loader.parse("mem.yaml", VALID + """
        journal:
          checkpointIntervalSeconds: 0
        """).journal();
    assertThat(off.checkpointsEnabled()).isFalse();
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> loader.parse("bad.yaml", VALID + """
        journal:
          directory: j
          checkpointIntervalSeconds: -1
          checkpointsKept: 0
          checkpointDirectory: j
        """));
    assertThat(e.getMessage().lines()).containsExactlyInAnyOrder(
        "bad.yaml: journal.checkpointIntervalSeconds: must be >= 0, got -1",
        "bad.yaml: journal.checkpointsKept: must be >= 1 (the newest checkpoint and any older ones to fall back on), got 0",
        "bad.yaml: journal.checkpointDirectory: must differ from journal.directory (the journal's directory holds only its queue files), got j");
  }

  @Test
  void theOldSnapshotKeysAreReadWithOneWarningEachNamingTheNewKey() {
    java.util.List<String> warnings = new java.util.ArrayList<>();
    JournalConfig j = new ConfigLoader(warnings::add).parse("old.yaml", VALID + """
        journal:
          snapshotIntervalSeconds: 0.5
          snapshotsKept: 5
          snapshotDirectory: snapshots
        """).journal();
    assertThat(j).isEqualTo(new JournalConfig(true, "journal", JournalConfig.RollCycle.FAST_DAILY, 0, 10, 0.5, 5, "snapshots"));
    assertThat(warnings).containsExactly(
        "old.yaml: journal.snapshotIntervalSeconds is deprecated, use journal.checkpointIntervalSeconds (same meaning)",
        "old.yaml: journal.snapshotsKept is deprecated, use journal.checkpointsKept (same meaning)",
        "old.yaml: journal.snapshotDirectory is deprecated, use journal.checkpointDirectory (same meaning)");
    // The old spelling is validated under its own key path.
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> new ConfigLoader(w -> { }).parse("bad.yaml", VALID + """
        journal:
          snapshotsKept: 0
        """));
    assertThat(e.getMessage().lines()).containsExactly(
        "bad.yaml: journal.snapshotsKept: must be >= 1 (the newest checkpoint and any older ones to fall back on), got 0");
  }

  @Test
  void anOldAndANewKeyOfOneSettingTogetherAreAConfigurationError() {
    java.util.List<String> warnings = new java.util.ArrayList<>();
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> new ConfigLoader(warnings::add).parse("both.yaml",
        VALID + """
        journal:
          snapshotDirectory: snapshots
          checkpointDirectory: checkpoints
        """));
    assertThat(e.getMessage().lines()).containsExactly(
        "both.yaml: journal.snapshotDirectory: replaced by journal.checkpointDirectory, which is given too: remove "
            + "journal.snapshotDirectory");
    assertThat(warnings).isEmpty();
  }

  @Test
  void journalSectionIsBoundAndValidatedWithKeyPaths() {
    NudaqConfig c = loader.parse("mem.yaml", VALID + """
        journal:
          directory: /var/nudaq/journal
          rollCycle: fast-hourly
          retentionCycles: 48
          diskFreeAlarmGiB: 0.5
        """);
    assertThat(c.journal()).isEqualTo(new JournalConfig(true, "/var/nudaq/journal", JournalConfig.RollCycle.FAST_HOURLY, 48, 0.5));
    assertThatThrownBy(() -> loader.parse("bad.yaml", VALID + """
        journal:
          rollCycle: minutely
          retentionCycles: -1
          diskFreeAlarmGiB: -2
        """)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("journal.rollCycle").hasMessageContaining("[fast-hourly, fast-daily, weekly]")
        .hasMessageContaining("journal.retentionCycles").hasMessageContaining("journal.diskFreeAlarmGiB");
  }

  @Test
  void compassChannelMapIsBoundAndEachCompassChannelMappedOnce() {
    NudaqConfig c = loader.load(Path.of("../config/gemma-1.yaml"));
    assertThat(c.compass().channels()).containsExactly(new CompassConfig.ChannelMapping(0, 0, 0, 0),
        new CompassConfig.ChannelMapping(0, 1, 0, 1));
    assertThat(c.journal().rollCycle()).isEqualTo(JournalConfig.RollCycle.FAST_DAILY);
    String gemma = VALID + """
        digitizer:
          boards:
            - id: 0
              port: 9401
              channels:
                - {channel: 0, role: hpge, detector: hpge-1, calibration: [0.0, 0.005]}
        """;
    assertThatThrownBy(() -> loader.parse("bad.yaml", gemma + """
        compass:
          channels:
            - {board: 3, channel: 7, toBoard: 0, toChannel: 5}
            - {board: 3, channel: 7, toBoard: 0, toChannel: 0}
            - {board: 300, channel: 1, toBoard: 0, toChannel: 0}
        """)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("compass.channels[2].board").hasMessageContaining("0..255, got 300")
        .hasMessageContaining("compass.channels[1]").hasMessageContaining("mapped twice");
    NudaqConfig loose = loader.parse("ok.yaml", gemma + """
        compass:
          channels:
            - {board: 3, channel: 7, toBoard: 0, toChannel: 5}
        """);
    assertThat(CompassConfig.configured(loose.digitizer(), 0, 5)).as("checked at import time").isFalse();
    assertThat(CompassConfig.configured(loose.digitizer(), 0, 0)).isTrue();
  }

  @Test
  void withJournalAndWithCompassKeepEverythingElse() {
    NudaqConfig c = loader.load(Path.of("../config/gemma-2.yaml"));
    NudaqConfig j = c.withJournal(c.journal().withDirectory("elsewhere")).withCompass(new CompassConfig(java.util.List.of()));
    assertThat(j.journal().directory()).isEqualTo("elsewhere");
    assertThat(j.compass().channels()).isEmpty();
    assertThat(j.digitizer()).isEqualTo(c.digitizer());
    assertThat(c.withHttp(c.http()).journal()).isEqualTo(c.journal());
    assertThat(c.compass().channels()).hasSize(4);
  }
}
