package org.nudaq.monitor.analysis;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.nudaq.monitor.config.AnalysisConfig;
import org.nudaq.monitor.config.CrossSectionConfig;
import org.nudaq.monitor.config.DetectorConfig;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.physics.AtomicResponseTable;
import org.nudaq.monitor.physics.BinnedExpectedSpectra;
import org.nudaq.monitor.physics.ConfiguredPhysics;
import org.nudaq.monitor.physics.DetectorResponse;
import org.nudaq.monitor.physics.ElectronBinding;
import org.nudaq.monitor.physics.PhysicsModel;
import org.nudaq.monitor.physics.PhysicsParameters;

/**
 * The physics model of each rate of a configuration: the weak rate with {@code physics.binding}, the
 * μν and qν templates each with its {@code analysis.crossSections} model (free electrons or
 * stepping; unset: {@code physics.binding}), with the provenance every result reports; and the
 * tabulated atomic-response alternatives (a table's ratio × the free-electron rate, folded like the
 * others), which are reported next to the main result and never replace it.
 *
 * @param weak    model of the weak rate
 * @param mu      model of the μν template
 * @param q       model of the qν template
 * @param muLabel μν's model with its source
 * @param qLabel  qν's model with its source
 */
public record CrossSectionModels(PhysicsModel weak, PhysicsModel mu, PhysicsModel q, String muLabel, String qLabel) {

  /** Label of the free-electron model. */
  public static final String FREE_LABEL = "free electrons (all 32 Ge electrons at rest)";
  /** Label of the stepping approximation. */
  public static final String STEPPING_LABEL =
      "stepping (electrons bound below T scatter as free; Kouzakov, Studenikin, Voloshin, JETP Lett. 93 (2011) 623)";

  /** The models of a configuration (each distinct binding folded once). */
  public static CrossSectionModels of(NudaqConfig config) {
    PhysicsModel main = ConfiguredPhysics.model(config);
    ElectronBinding mainBinding = main.parameters().binding();
    CrossSectionConfig cs = config.analysis().crossSections();
    ElectronBinding muBinding = binding(cs.mu().model(), mainBinding);
    ElectronBinding qBinding = binding(cs.q().model(), mainBinding);
    PhysicsModel other = null;
    if (muBinding != mainBinding || qBinding != mainBinding) {
      other = withBinding(main, muBinding != mainBinding ? muBinding : qBinding);
    }
    PhysicsModel mu = muBinding == mainBinding ? main : other;
    PhysicsModel q = qBinding == mainBinding ? main : other;
    return new CrossSectionModels(main, mu, q, label(muBinding), label(qBinding));
  }

  private static ElectronBinding binding(CrossSectionConfig.Model m, ElectronBinding fallback) {
    if (m == null) {
      return fallback;
    }
    return m == CrossSectionConfig.Model.FREE ? ElectronBinding.FREE_ELECTRON : ElectronBinding.STEPPING;
  }

  static String label(ElectronBinding b) {
    return b == ElectronBinding.FREE_ELECTRON ? FREE_LABEL : STEPPING_LABEL;
  }

  static PhysicsModel withBinding(PhysicsModel model, ElectronBinding binding) {
    PhysicsParameters p = model.parameters();
    return new PhysicsModel(new PhysicsParameters(p.reactor(), p.sin2ThetaW(), binding, p.minimumRecoilKeV()));
  }

  /**
   * The tabulated alternatives configured ({@code atomicResponseTable} of μν and/or qν), as window
   * templates masked like {@code templates}.
   */
  public List<SystematicFitter.Alternative> alternatives(NudaqConfig config, AnalysisTemplates templates) {
    List<SystematicFitter.Alternative> out = new ArrayList<>();
    CrossSectionConfig cs = config.analysis().crossSections();
    PhysicsModel free = null;
    for (String parameter : new String[] {"mu", "q"}) {
      String file = parameter.equals("mu") ? cs.mu().atomicResponseTable() : cs.q().atomicResponseTable();
      if (file == null) {
        continue;
      }
      AtomicResponseTable table;
      try {
        table = AtomicResponseTable.read(resolve(config.source(), file));
      } catch (org.nudaq.monitor.physics.InvalidPhysicsParameterException e) {
        // A bad table is a configuration error: one line naming the key and the file's problem.
        throw new org.nudaq.monitor.config.ConfigException(List.of(new org.nudaq.monitor.config.ConfigError(
            config.source(), "analysis.crossSections." + parameter + ".atomicResponseTable", e.getMessage())));
      }
      if (free == null) {
        free = weak.parameters().binding() == ElectronBinding.FREE_ELECTRON ? weak
            : withBinding(weak, ElectronBinding.FREE_ELECTRON);
      }
      out.add(new SystematicFitter.Alternative(parameter, "table " + table.source()
          + (table.provenance().isEmpty() ? "" : " (" + table.provenance() + ")") + " × free electrons",
          template(config, free, table, parameter.equals("mu"), templates)));
    }
    return out;
  }

  /** A table path relative to the configuration file's directory (or the working directory). */
  static Path resolve(String configSource, String file) {
    Path f = Path.of(file);
    if (f.isAbsolute() || configSource == null) {
      return f;
    }
    Path c = Path.of(configSource);
    return Files.isRegularFile(c) && c.getParent() != null ? c.getParent().resolve(f) : f;
  }

  private static double[] template(NudaqConfig config, PhysicsModel free, AtomicResponseTable table, boolean mu,
      AnalysisTemplates templates) {
    AnalysisConfig a = config.analysis();
    int first = templates.firstSpectrumBin();
    int per = templates.windowBins();
    double[] out = new double[templates.binCount()];
    for (int d = 0; d < config.detectors().size(); d++) {
      DetectorConfig det = config.detectors().get(d);
      DetectorResponse r = ConfiguredPhysics.response(det);
      BinnedExpectedSpectra e = free.binnedExpectedSpectra(ConfiguredPhysics.binning(a), r, table);
      double[] rate = mu ? e.muUnitPerKeVKgDay() : e.qUnitPerKeVKgDay();
      for (int b = 0; b < per; b++) {
        int i = d * per + b;
        out[i] = templates.masked(i) ? 0.0 : rate[first + b] * det.massKg() * a.binWidthKeV();
      }
    }
    return out;
  }
}
