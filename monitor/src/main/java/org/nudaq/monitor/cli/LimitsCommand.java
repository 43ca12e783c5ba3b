package org.nudaq.monitor.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nudaq.monitor.analysis.CalibrationInputs;
import org.nudaq.monitor.analysis.CalibrationReport;
import org.nudaq.monitor.analysis.ExperimentLimits;
import org.nudaq.monitor.analysis.ExperimentResult;
import org.nudaq.monitor.analysis.LineMasks;
import org.nudaq.monitor.analysis.ResultDocument;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.spectrum.Binning;
import org.nudaq.monitor.spectrum.SpectrumFormatException;
import org.nudaq.monitor.spectrum.SpectrumJson;
import org.nudaq.monitor.spectrum.SpectrumSnapshot;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code nudaq limits}: limits on μν and qν from saved reactor-ON and reactor-OFF spectra (the
 * JSON format of docs/spectrum-format.md), one pair per detector of the configuration. With
 * {@code --calibration REPORT.json} (issue 17) the line masks' widths and the energy-scale constraints come from
 * the applied epochs of a calibration report ({@link CalibrationReport}) through the same
 * {@link CalibrationInputs} and {@link ExperimentLimits.Model} as the daemon's limits, so the limits of exported
 * spectra equal the daemon's (or a replay's) of the same data; without it, from the configuration.
 */
@Command(name = "limits", mixinStandardHelpOptions = true,
    description = "Upper limits on μν and |qν| from saved ON and OFF spectra.")
public final class LimitsCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

  @Option(names = "--on", required = true, paramLabel = "SPECTRUM.json",
      description = "reactor-ON spectrum; once per detector (matched by its 'detector' label)")
  List<Path> on;

  @Option(names = "--off", required = true, paramLabel = "SPECTRUM.json",
      description = "reactor-OFF spectrum; once per detector")
  List<Path> off;

  @Option(names = "--calibration", paramLabel = "REPORT.json",
      description = "calibration report (GET /api/calibration, or a replay's calibration-report.json): line masks and"
          + " energy-scale constraints from all its applied epochs, as the daemon's limits; default: the configured"
          + " resolution and constraints")
  Path calibration;

  @Option(names = "--json", description = "print JSON") boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    NudaqConfig c = config.load();
    CalibrationReport report = calibration == null ? null : report();
    ExperimentLimits limits = report == null ? ExperimentLimits.forConfig(c) : calibrated(c, inputs(report, c));
    String widthsFrom = report == null ? "the configured resolution" : report.describe();
    Binning binning = new Binning(c.analysis().spectrumLowKeV(), c.analysis().binWidthKeV(), c.analysis().binCount());
    List<SpectrumSnapshot> onSpectra = ordered(read(on, "on", binning), limits.templates().detectors(), "--on");
    List<SpectrumSnapshot> offSpectra = ordered(read(off, "off", binning), limits.templates().detectors(), "--off");
    Instant at = onSpectra.get(0).takenAt().isAfter(offSpectra.get(0).takenAt()) ? onSpectra.get(0).takenAt() : offSpectra.get(0).takenAt();
    ExperimentResult r = limits.update(onSpectra, offSpectra, at);
    if (r == null) {
      throw new ParameterException(spec.commandLine(), "the ON and OFF spectra must both have live time > 0");
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("muHat2", r.muHat2());
      m.put("muSigma2", r.muSigma2());
      m.put("muLimit90", r.muLimit());
      m.put("qHat2", r.qHat2());
      m.put("qSigma2", r.qSigma2());
      m.put("qLimit90", r.qLimit());
      m.put("method", r.method().name());
      m.put("lineTreatment", r.mu().lineTreatment().name());
      m.put("maskedBins", limits.templates().maskedBinCount());
      m.put("intervalBins", r.mu().intervalBins());
      m.put("confidenceLevel", r.confidenceLevel());
      m.put("onLiveTimeDays", r.onLiveTimeDays());
      m.put("offLiveTimeDays", r.offLiveTimeDays());
      m.put("muExpected90", r.muExpected());
      m.put("qExpected90", r.qExpected());
      m.put("thresholdEstimateQ", r.thresholdEstimateQ());
      m.put("onExposureKgDays", r.onExposureKgDays());
      m.put("offExposureKgDays", r.offExposureKgDays());
      m.put("units", Map.of("muHat2", "mu_B^2", "muLimit90", "mu_B", "qHat2", "e0^2", "qLimit90", "e0"));
      m.put("mu", ResultDocument.parameter(r, true));
      m.put("q", ResultDocument.parameter(r, false));
      m.put("systematics", ResultDocument.systematics(r));
      Map<String, Object> masks = ResultDocument.lineMasks(r); // issue 17: where the mask widths came from
      if (masks != null) {
        masks = new LinkedHashMap<>(masks);
        masks.put("from", widthsFrom);
        masks.put("calibrationReport", report == null ? null : report.file().toString());
        masks.put("reportEpochs", report == null ? 0 : report.epochCount());
      }
      m.put("lineMasks", masks);
      out.println(Json.write(m));
    } else {
      out.printf("%s: %.1f days ON, %.1f days OFF; %s, %.0f%% CL; lines: %s (%d bins masked)%n", c.experiment(),
          r.onLiveTimeDays(), r.offLiveTimeDays(), r.method(), 100 * r.confidenceLevel(), r.mu().lineTreatment(),
          limits.templates().maskedBinCount());
      printMasks(out, r.lineMasks(), widthsFrom);
      out.printf("  μν²  = %.3e ± %.3e μB²   →  μν  < %.2e μB   (expected %.2e)%n", r.muHat2(), r.muSigma2(), r.muLimit(), r.muExpected());
      out.printf("  qν²  = %.3e ± %.3e e0²   →  |qν| < %.2e e0   (expected %.2e)%n", r.qHat2(), r.qSigma2(), r.qLimit(), r.qExpected());
      new SystematicsText(out).print(r);
    }
    out.flush();
    return 0;
  }

  /** The report of --calibration; a missing or malformed one is a one-line user error naming it. */
  private CalibrationReport report() {
    try {
      return CalibrationReport.read(calibration);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--calibration " + e.getMessage());
    }
  }

  /** The report's inputs; a channel not in the configuration, or no applied epoch, is a one-line user error. */
  private CalibrationInputs inputs(CalibrationReport report, NudaqConfig c) {
    try {
      return report.inputs(c);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--calibration " + e.getMessage());
    }
  }

  /**
   * The limits with the report's inputs, as the daemon derives them (daq-server CalibratedLimits): the configured
   * model when nothing comes from the calibration, else the folded model with the inputs' widths and constraints.
   */
  private static ExperimentLimits calibrated(NudaqConfig c, CalibrationInputs in) {
    return in.isConfigured(c) ? ExperimentLimits.forConfig(c) : ExperimentLimits.Model.of(c).limits(in.systematics(), in.widths());
  }

  /** The masks' widths, line by line: {@code line masks (±3σ, widths from ...): hpge-1 Ga-K 10.37 ±0.786 keV, ...}. */
  private static void printMasks(PrintWriter out, LineMasks masks, String widthsFrom) {
    if (masks == null) {
      return;
    }
    out.printf("  line masks (±%sσ, widths from %s):%n",
        java.math.BigDecimal.valueOf(masks.sigmas()).stripTrailingZeros().toPlainString(), widthsFrom);
    for (LineMasks.DetectorMasks d : masks.detectors()) {
      StringBuilder b = new StringBuilder();
      for (LineMasks.Line l : d.lines()) {
        b.append(b.length() == 0 ? "" : ", ").append(String.format(java.util.Locale.ROOT, "%s %.2f ±%.3f keV",
            l.name(), l.energyKeV(), l.halfWidthKeV()));
      }
      out.printf("    %s (%s): %s%n", d.detector(), d.source(), b);
    }
  }

  private List<SpectrumSnapshot> read(List<Path> files, String state, Binning binning) {
    SpectrumJson reader = new SpectrumJson();
    List<SpectrumSnapshot> out = new ArrayList<>();
    for (Path f : files) {
      SpectrumSnapshot s = readOne(reader, f, "--" + state);
      if (!s.labels().reactorState().equals(state)) {
        throw new ParameterException(spec.commandLine(), "--" + state + " " + f + ": the spectrum is reactor "
            + s.labels().reactorState() + ", expected " + state);
      }
      if (!s.binning().equals(binning)) {
        throw new ParameterException(spec.commandLine(), "--" + state + " " + f + ": binning " + describe(s.binning())
            + " differs from the configuration's " + describe(binning));
      }
      out.add(s);
    }
    return out;
  }

  private static String describe(Binning b) {
    return String.format(java.util.Locale.ROOT, "%d bins of %g keV from %g keV", b.binCount(), b.binWidthKeV(), b.lowKeV());
  }

  /** One spectrum file; a missing, unreadable or malformed file is a one-line user error naming it. */
  private SpectrumSnapshot readOne(SpectrumJson reader, Path f, String option) {
    if (!Files.isRegularFile(f)) {
      throw new ParameterException(spec.commandLine(), option + " " + f + ": "
          + (Files.isDirectory(f) ? "is a directory, not a spectrum file" : "no such file"));
    }
    try {
      return reader.read(f);
    } catch (SpectrumFormatException e) {
      String documentLevel = e.source() + ": (document): ";
      throw new ParameterException(spec.commandLine(), option + " " + (e.getMessage().startsWith(documentLevel)
          ? e.source() + ": " + e.getMessage().substring(documentLevel.length()) : e.getMessage()));
    } catch (UncheckedIOException e) {
      throw new ParameterException(spec.commandLine(), option + " " + CommandLines.describe(e.getCause()));
    } catch (IllegalArgumentException e) {
      // Values the spectrum model refuses (e.g. a negative mass): the file is not a valid spectrum.
      throw new ParameterException(spec.commandLine(), option + " " + f + ": not a valid spectrum: " + e.getMessage());
    }
  }

  private List<SpectrumSnapshot> ordered(List<SpectrumSnapshot> spectra, List<String> detectors, String option) {
    List<SpectrumSnapshot> out = new ArrayList<>();
    for (String d : detectors) {
      SpectrumSnapshot match = null;
      for (SpectrumSnapshot s : spectra) {
        if (s.labels().detector().equals(d) || (detectors.size() == 1 && spectra.size() == 1)) {
          match = s;
        }
      }
      if (match == null) {
        throw new ParameterException(spec.commandLine(), option + ": no spectrum for detector '" + d + "'");
      }
      out.add(match);
    }
    return out;
  }
}
