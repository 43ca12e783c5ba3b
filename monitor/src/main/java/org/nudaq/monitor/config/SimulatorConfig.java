package org.nudaq.monitor.config;

import java.util.List;

/**
 * What the simulator generates. Rates are in the units their names give; defaults are our
 * assumptions ([A] in physics.md) and are meant to be overridden per set-up.
 *
 * @param seed                   random seed; the same seed and configuration give the same events
 * @param schedule               reactor periods, repeated in order from t = 0
 * @param injectMuMuB            injected magnetic moment, Bohr magnetons (0: none)
 * @param injectQE0              injected millicharge, units of e0 (0: none)
 * @param comptonPerKeVKgDay     flat HPGe continuum of Compton events with an NaI partner (removed by the veto)
 * @param xrayLines              cosmogenic lines in the HPGe
 * @param tritiumPerKgDay        tritium beta decays in the HPGe at t = 0, per kg per day (T½ 12.3 y)
 * @param noisePerKgDay          electronic noise triggers above threshold, per kg per day
 * @param noiseSlopeKeV          e-folding energy of the noise spectrum above threshold, keV
 * @param burstEveryDays         mean interval between microphonic noise bursts, days (0: no bursts)
 * @param burstDurationSeconds   length of one burst, s
 * @param burstRateHz            HPGe trigger rate during a burst, Hz
 * @param naiSinglesHz           NaI singles rate (ambient gammas), Hz
 * @param muonHz                 rate of cosmic muons crossing the NaI, Hz
 * @param hpgeDeadTimeNs         digitizer dead time per HPGe trigger, ns
 * @param aggregateMaxEvents     a board sends a channel's events in aggregates of at most this many events
 * @param aggregateMaxAgeMs      ... or when the aggregate's first event is this old (detector time), ms
 * @param statusIntervalSeconds  detector time between status frames, s
 * @param bufferEvents           capacity of a board's event buffer; beyond it triggers are lost and counted
 * @param drift                  drift of the HPGe energy scale and resolution, and an optional pulser (issue 17)
 */
public record SimulatorConfig(
    long seed,
    List<ReactorPeriod> schedule,
    double injectMuMuB,
    double injectQE0,
    double comptonPerKeVKgDay,
    List<XrayLine> xrayLines,
    double tritiumPerKgDay,
    double noisePerKgDay,
    double noiseSlopeKeV,
    double burstEveryDays,
    double burstDurationSeconds,
    double burstRateHz,
    double naiSinglesHz,
    double muonHz,
    double hpgeDeadTimeNs,
    int aggregateMaxEvents,
    double aggregateMaxAgeMs,
    double statusIntervalSeconds,
    int bufferEvents,
    DriftConfig drift) {

  public SimulatorConfig {
    schedule = List.copyOf(schedule);
    xrayLines = List.copyOf(xrayLines);
    drift = drift == null ? DriftConfig.NONE : drift;
  }

  /** A simulator without drift or pulser (the settings before issue 17). */
  public SimulatorConfig(long seed, List<ReactorPeriod> schedule, double injectMuMuB, double injectQE0,
      double comptonPerKeVKgDay, List<XrayLine> xrayLines, double tritiumPerKgDay, double noisePerKgDay,
      double noiseSlopeKeV, double burstEveryDays, double burstDurationSeconds, double burstRateHz, double naiSinglesHz,
      double muonHz, double hpgeDeadTimeNs, int aggregateMaxEvents, double aggregateMaxAgeMs,
      double statusIntervalSeconds, int bufferEvents) {
    this(seed, schedule, injectMuMuB, injectQE0, comptonPerKeVKgDay, xrayLines, tritiumPerKgDay, noisePerKgDay,
        noiseSlopeKeV, burstEveryDays, burstDurationSeconds, burstRateHz, naiSinglesHz, muonHz, hpgeDeadTimeNs,
        aggregateMaxEvents, aggregateMaxAgeMs, statusIntervalSeconds, bufferEvents, DriftConfig.NONE);
  }

  /** This configuration with other cosmogenic X-ray lines (e.g. the default ones scaled: a freshly activated crystal). */
  public SimulatorConfig withXrayLines(List<XrayLine> lines) {
    return new SimulatorConfig(seed, schedule, injectMuMuB, injectQE0, comptonPerKeVKgDay, List.copyOf(lines), tritiumPerKgDay,
        noisePerKgDay, noiseSlopeKeV, burstEveryDays, burstDurationSeconds, burstRateHz, naiSinglesHz, muonHz,
        hpgeDeadTimeNs, aggregateMaxEvents, aggregateMaxAgeMs, statusIntervalSeconds, bufferEvents, drift);
  }

  /** A copy with another drift. */
  public SimulatorConfig withDrift(DriftConfig d) {
    return new SimulatorConfig(seed, schedule, injectMuMuB, injectQE0, comptonPerKeVKgDay, xrayLines, tritiumPerKgDay,
        noisePerKgDay, noiseSlopeKeV, burstEveryDays, burstDurationSeconds, burstRateHz, naiSinglesHz, muonHz,
        hpgeDeadTimeNs, aggregateMaxEvents, aggregateMaxAgeMs, statusIntervalSeconds, bufferEvents, d);
  }

  /** One reactor period of the schedule. */
  public record ReactorPeriod(boolean on, double days) {
    static ReactorPeriod bind(ConfigNode n) {
      // A YAML 1.1 parser reads a bare on/off as the booleans true/false; both spellings mean the same.
      String state = n.text("state", null);
      if ("true".equals(state)) {
        state = "on";
      } else if ("false".equals(state)) {
        state = "off";
      }
      boolean on = "on".equals(state);
      if (!"on".equals(state) && !"off".equals(state)) {
        n.error("state", "must be on or off, got " + (state == null ? "nothing" : "'" + state + "'"));
      }
      double days = n.requiredNumber("days");
      n.requirePositive("days", days);
      return new ReactorPeriod(on, days);
    }
  }

  /**
   * A cosmogenic X-ray line: K- or L-shell X-rays after electron capture in the crystal.
   *
   * @param name            label, e.g. {@code Ga-K (68Ge)}
   * @param energyKeV       line energy, keV
   * @param halfLifeDays    half-life of the parent, days
   * @param initialPerKgDay line intensity at t = 0, counts per kg per day
   */
  public record XrayLine(String name, double energyKeV, double halfLifeDays, double initialPerKgDay) {
    static XrayLine bind(ConfigNode n) {
      String name = n.text("name", "line");
      double e = n.requiredNumber("energyKeV");
      n.requirePositive("energyKeV", e);
      double t = n.requiredNumber("halfLifeDays");
      n.requirePositive("halfLifeDays", t);
      double r = n.requiredNumber("initialPerKgDay");
      n.requireNonNegative("initialPerKgDay", r);
      return new XrayLine(name, e, t, r);
    }
  }

  /** Energies from physics.md [V]; parents' half-lives [V/A]; intensities [A]. */
  public static final List<XrayLine> DEFAULT_XRAY_LINES = List.of(
      new XrayLine("Ga-K (68Ge)", 10.37, 271, 20),
      new XrayLine("Ga-K (71Ge)", 10.37, 11.4, 10),
      new XrayLine("Ga-L (68Ge)", 1.30, 271, 2.5),
      new XrayLine("Zn-K (68Ga)", 9.66, 271, 2),
      new XrayLine("Cu-K (65Zn)", 8.98, 244, 3),
      new XrayLine("Fe-K (57Co)", 7.11, 271.7, 1),
      new XrayLine("Mn-K (55Fe)", 6.54, 1000.8, 1),
      new XrayLine("Cr-K (54Mn)", 5.99, 312, 0.5),
      new XrayLine("Ti-K (49V)", 4.97, 330, 0.5));

  /** A year's cycle: 330 days ON, 30 days OFF for refuelling [A]. */
  public static final List<ReactorPeriod> DEFAULT_SCHEDULE =
      List.of(new ReactorPeriod(true, 330), new ReactorPeriod(false, 30));

  static SimulatorConfig bind(ConfigNode n) {
    long seed = (long) n.number("seed", 1);
    List<ReactorPeriod> schedule = n.has("schedule") ? n.list("schedule", ReactorPeriod::bind) : DEFAULT_SCHEDULE;
    if (schedule.isEmpty()) {
      n.error("schedule", "needs at least one period");
    }
    double mu = n.number("injectMuMuB", 0);
    n.requireRange("injectMuMuB", mu, 0, 1e-8);
    double q = n.number("injectQE0", 0);
    n.requireRange("injectQE0", q, 0, 1e-9);
    double compton = n.number("comptonPerKeVKgDay", 10);
    n.requireNonNegative("comptonPerKeVKgDay", compton);
    List<XrayLine> lines = n.has("xrayLines") ? n.list("xrayLines", XrayLine::bind) : DEFAULT_XRAY_LINES;
    double tritium = n.number("tritiumPerKgDay", 5);
    n.requireNonNegative("tritiumPerKgDay", tritium);
    double noise = n.number("noisePerKgDay", 200);
    n.requireNonNegative("noisePerKgDay", noise);
    double slope = n.number("noiseSlopeKeV", 0.3);
    n.requirePositive("noiseSlopeKeV", slope);
    double burstEvery = n.number("burstEveryDays", 7);
    n.requireNonNegative("burstEveryDays", burstEvery);
    double burstLen = n.number("burstDurationSeconds", 60);
    n.requirePositive("burstDurationSeconds", burstLen);
    double burstRate = n.number("burstRateHz", 5);
    n.requireNonNegative("burstRateHz", burstRate);
    double nai = n.number("naiSinglesHz", 50);
    n.requireNonNegative("naiSinglesHz", nai);
    double muon = n.number("muonHz", 2);
    n.requireNonNegative("muonHz", muon);
    double dead = n.number("hpgeDeadTimeNs", 10_000);
    n.requireNonNegative("hpgeDeadTimeNs", dead);
    int aggregate = n.integer("aggregateMaxEvents", 256);
    if (aggregate < 1 || aggregate > 65_536) {
      n.error("aggregateMaxEvents", "must be between 1 and 65536, got " + aggregate);
    }
    // At GEMMA rates (tens of Hz) a short age would send frames of one event; a real board's timeout
    // is wall time, which in accelerated runs is many detector seconds. Default: one status interval.
    double age = n.number("aggregateMaxAgeMs", 1000);
    n.requireRange("aggregateMaxAgeMs", age, 0.001, 3_600_000);
    double status = n.number("statusIntervalSeconds", 1);
    n.requirePositive("statusIntervalSeconds", status);
    int buffer = n.integer("bufferEvents", 1_000_000);
    if (buffer < 1024) {
      n.error("bufferEvents", "must be at least 1024, got " + buffer);
    }
    DriftConfig drift = n.has("drift") ? DriftConfig.bind(n.object("drift")) : DriftConfig.NONE;
    return new SimulatorConfig(seed, schedule, mu, q, compton, lines, tritium, noise, slope,
        burstEvery, burstLen, burstRate, nai, muon, dead, aggregate, age, status, buffer, drift);
  }
}
