package org.nudaq.monitor.config;

import java.util.EnumMap;
import java.util.Map;

/**
 * The nuisance parameters of the limits ({@code analysis.systematics}): for each source of
 * systematic uncertainty its 1σ constraint and the constraint's shape. A σ of 0 switches a nuisance
 * off; {@code enabled: false} switches all off (the limits are then statistics only, as before).
 * Defaults, units and sources are in {@link Source} and docs/analysis.md.
 *
 * @param enabled  whether the systematic fit is made at all
 * @param sources  every source with its constraint (all of {@link Source}, in its order)
 */
public record SystematicsConfig(boolean enabled, Map<Source, Constraint> sources) {

  public SystematicsConfig {
    sources = java.util.Collections.unmodifiableMap(new EnumMap<>(sources));
  }

  /** How a nuisance is constrained. */
  public enum Shape {
    /** θ ~ N(0, 1), the quantity is nominal + θσ. */
    GAUSSIAN,
    /** θ ~ N(0, 1), the quantity is nominal × (1 + σ)^θ (never negative; for normalisations). */
    LOG_NORMAL
  }

  /**
   * One nuisance's constraint.
   *
   * @param sigma      1σ, in the unit of its source (a fraction or keV)
   * @param shape      Gaussian or log-normal
   * @param measuredBy null when σ is the configured one (or the default); otherwise one line saying what
   *                   measured it (issue 17: the online calibration's epochs for the energy scale)
   */
  public record Constraint(double sigma, Shape shape, String measuredBy) {

    /** A configured constraint. */
    public Constraint(double sigma, Shape shape) {
      this(sigma, shape, null);
    }
  }

  /**
   * The sources, with their YAML key, unit, default and where the default comes from. Every default
   * is our assumption [A] (physics.md gives no uncertainties); a collaboration sets its own.
   */
  public enum Source {
    FLUX_NORMALISATION("fluxNormalisation", "fraction", 0.05, Shape.LOG_NORMAL,
        "[A] reactor thermal power ~2% and the ν̄ per fission (6 from fission products, 1.2 from capture; "
            + "the part below 2 MeV, which keV recoils see, not known to better than tens of percent in shape, "
            + "its total to a few percent): 5%"),
    EFFICIENCY_MASS("efficiencyMass", "fraction", 0.03, Shape.LOG_NORMAL,
        "[A] active Ge mass (dead layer) and the veto/gate efficiency for single-site recoils: 3%"),
    THRESHOLD_POSITION("thresholdPositionKeV", "keV", 0.05, Shape.GAUSSIAN,
        "[A] position of the trigger threshold's 50% point, from the noise-edge fit: 0.05 keV"),
    THRESHOLD_WIDTH("thresholdWidth", "fraction", 0.20, Shape.LOG_NORMAL,
        "[A] width of the threshold step, relative to the configured thresholdWidthKeV: 20%"),
    ENERGY_GAIN("energyGain", "fraction", 0.005, Shape.GAUSSIAN,
        "[A] energy-scale gain, residual of the calibration with the cosmogenic K lines (physics.md): 0.5%"),
    ENERGY_OFFSET("energyOffsetKeV", "keV", 0.02, Shape.GAUSSIAN,
        "[A] energy-scale offset at zero, from the same calibration (Ga L 1.30 and K lines): 0.02 keV"),
    WEAK_NORMALISATION("weakNormalisation", "fraction", 0.03, Shape.GAUSSIAN,
        "[A] the subtracted weak rate beyond the flux: sin²θ_W 0.2386 against 0.231 moves 2(g_V²+g_A²) by 2.4% "
            + "(physics.md), plus the sub-MeV spectrum shape: 3%"),
    ON_OFF_BACKGROUND("onOffBackground", "fraction", 0.005, Shape.GAUSSIAN,
        "[A] ON/OFF background ratio (background drift, live-time mismatch): 0.5%; measure it from a "
            + "signal-free control region and set it here");

    private final String key;
    private final String unit;
    private final double defaultSigma;
    private final Shape defaultShape;
    private final String provenance;

    Source(String key, String unit, double defaultSigma, Shape defaultShape, String provenance) {
      this.key = key;
      this.unit = unit;
      this.defaultSigma = defaultSigma;
      this.defaultShape = defaultShape;
      this.provenance = provenance;
    }

    public String key() {
      return key;
    }

    public String unit() {
      return unit;
    }

    public double defaultSigma() {
      return defaultSigma;
    }

    public Shape defaultShape() {
      return defaultShape;
    }

    /** Where the default comes from. */
    public String provenance() {
      return provenance;
    }
  }

  /** Every source at its default. */
  public static SystematicsConfig defaults() {
    Map<Source, Constraint> m = new EnumMap<>(Source.class);
    for (Source s : Source.values()) {
      m.put(s, new Constraint(s.defaultSigma(), s.defaultShape()));
    }
    return new SystematicsConfig(true, m);
  }

  /** No systematic uncertainty at all (statistics only). */
  public static SystematicsConfig none() {
    Map<Source, Constraint> m = new EnumMap<>(Source.class);
    for (Source s : Source.values()) {
      m.put(s, new Constraint(0.0, s.defaultShape()));
    }
    return new SystematicsConfig(false, m);
  }

  /** These settings with one source's σ replaced. */
  public SystematicsConfig withSigma(Source source, double sigma) {
    Map<Source, Constraint> m = new EnumMap<>(sources);
    m.put(source, new Constraint(sigma, sources.get(source).shape()));
    return new SystematicsConfig(enabled, m);
  }

  /** These settings with one source's constraint replaced by a measured one (its shape kept). */
  public SystematicsConfig withMeasured(Source source, double sigma, String measuredBy) {
    Map<Source, Constraint> m = new EnumMap<>(sources);
    m.put(source, new Constraint(sigma, sources.get(source).shape(), measuredBy));
    return new SystematicsConfig(enabled, m);
  }

  static SystematicsConfig bind(ConfigNode n) {
    boolean enabled = n.bool("enabled", true);
    Map<Source, Constraint> m = new EnumMap<>(Source.class);
    for (Source s : Source.values()) {
      ConfigNode c = n.object(s.key());
      double sigma = c.number("sigma", s.defaultSigma());
      c.requireRange("sigma", sigma, 0, s.unit().equals("keV") ? 5.0 : 1.0);
      Shape shape = c.choice("constraint", Shape.class, s.defaultShape());
      m.put(s, new Constraint(sigma, shape));
    }
    return new SystematicsConfig(enabled, m);
  }
}
