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
import org.nudaq.monitor.analysis.ExperimentLimits;
import org.nudaq.monitor.analysis.ExperimentResult;
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
 * JSON format of docs/spectrum-format.md), one pair per detector of the configuration.
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

  @Option(names = "--json", description = "print JSON") boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    NudaqConfig c = config.load();
    ExperimentLimits limits = ExperimentLimits.forConfig(c);
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
      m.put("lineMasks", ResultDocument.lineMasks(r)); // issue 17: where the mask widths came from
      out.println(Json.write(m));
    } else {
      out.printf("%s: %.1f days ON, %.1f days OFF; %s, %.0f%% CL; lines: %s (%d bins masked)%n", c.experiment(),
          r.onLiveTimeDays(), r.offLiveTimeDays(), r.method(), 100 * r.confidenceLevel(), r.mu().lineTreatment(),
          limits.templates().maskedBinCount());
      out.printf("  μν²  = %.3e ± %.3e μB²   →  μν  < %.2e μB   (expected %.2e)%n", r.muHat2(), r.muSigma2(), r.muLimit(), r.muExpected());
      out.printf("  qν²  = %.3e ± %.3e e0²   →  |qν| < %.2e e0   (expected %.2e)%n", r.qHat2(), r.qSigma2(), r.qLimit(), r.qExpected());
      new SystematicsText(out).print(r);
    }
    out.flush();
    return 0;
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
