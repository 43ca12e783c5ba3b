package org.nudaq.sim.generator;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.nudaq.monitor.config.BoardConfig;
import org.nudaq.monitor.config.ChannelConfig;
import org.nudaq.monitor.config.DetectorConfig;
import org.nudaq.monitor.config.DriftConfig;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.config.SimulatorConfig;
import org.nudaq.monitor.physics.ConfiguredPhysics;
import org.nudaq.monitor.physics.DetectorResponse;

/**
 * Generates the events a GEMMA-like set-up sees, in detector time, as a superposition of Poisson
 * processes whose rates are constant within short segments: reactor-ON neutrino scattering (weak and
 * injected μν, qν), the flat continuum, Compton events with an NaI partner, decaying cosmogenic
 * X-ray lines, tritium, noise near threshold, microphonic bursts, NaI singles and muons (which
 * sometimes cause a delayed HPGe hit). Each HPGe trigger makes its channel dead for a fixed time;
 * events in it are lost, as in the digitizer. Energies are smeared with the detector resolution and
 * pass the threshold efficiency. The recorded HPGe energy then follows the configured drift of the energy
 * scale ({@link DriftConfig}: {@code E·gain(t) + offset(t)}, resolution × factor(t)), and an optional
 * pulser line is added; the drift is part of the ground truth ({@link GroundTruth#drift()}).
 *
 * <p>Deterministic for a given seed and configuration. Single-threaded; the per-event path allocates
 * nothing.
 *
 * <p>Size: over the ~400-line rule because each physical process is a few lines of sampling in one
 * segment loop whose order fixes the random sequence: moving processes into classes would change the
 * draws, and so every seeded test's expected values.
 */
public final class EventGenerator {
  /** Flag bit handed to the sink: the event followed the previous one closely (pile-up). */
  public static final int FLAG_PILEUP = 0x1;

  private static final double SECONDS_PER_DAY = 86_400.0;
  /** Rates are re-evaluated at least this often (the fastest decay, 71Ge, changes 0.25%/h). */
  private static final long MAX_SEGMENT_NS = 600L * 1_000_000_000L;
  private static final double MUON_INDUCED_PROBABILITY = 0.05;

  private static final int K_WEAK = 0;
  private static final int K_MAGNETIC = 1;
  private static final int K_MILLICHARGE = 2;
  private static final int K_CONTINUUM = 3;
  private static final int K_COMPTON = 4;
  private static final int K_XRAY = 5;
  private static final int K_TRITIUM = 6;
  private static final int K_NOISE = 7;
  private static final int K_BURST = 8;
  private static final int K_NAI_SINGLE = 9;
  private static final int K_MUON = 10;
  private static final int K_PULSER = 11;

  private final SimulatorConfig sim;
  private final DetectorConfig[] detectors;
  private final DetectorResponse[] responses;
  private final EventSink sink;
  private final SplittableRandom random;
  private final GroundTruth truth;
  private final DriftConfig drift;
  private final boolean drifting;
  private final PendingEvents pending = new PendingEvents(4096);

  // Per detector.
  private final double[] lowSampleKeV;
  private final double highKeV;
  private final TabulatedSampler[] weak;
  private final TabulatedSampler[] magnetic;
  private final TabulatedSampler[] millicharge;
  private final TabulatedSampler tritium;
  private final double[] weakHz;
  private final double[] magneticHz;
  private final double[] millichargeHz;
  private final long[] deadUntilNs;
  private final long[] lastTriggerNs;
  private final long[] totalDeadNs;
  private final long deadTimeNs;
  private final int naiCount;

  // The process table, rebuilt for each segment.
  private final int[] procKind;
  private final int[] procDetector;
  private final int[] procParam;
  private final double[] procCumulativeHz;
  private int procCount;

  private long nowNs;
  private long nextStatusNs;
  private final long statusIntervalNs;
  private long burstStartNs;
  private long burstEndNs;
  private boolean stateOn;
  /** Multiplies every process rate (fault injection: bursts at K× the normal rate); 1 normally. */
  private double rateMultiplier = 1.0;

  /**
   * @param config the whole configuration (detectors, analysis range, digitizer NaI channels, simulator)
   * @param rates  neutrino recoil rates per detector, in the order of {@code config.detectors()}
   * @param sink   where events go
   */
  public EventGenerator(NudaqConfig config, List<RecoilRates> rates, EventSink sink) {
    if (rates.size() != config.detectors().size()) {
      throw new IllegalArgumentException("need recoil rates for each of " + config.detectors().size() + " detectors, got " + rates.size());
    }
    this.sim = config.simulator();
    this.detectors = config.detectors().toArray(new DetectorConfig[0]);
    this.sink = sink;
    this.random = new SplittableRandom(sim.seed());
    this.drift = sim.drift();
    this.drifting = drift.drifts();
    this.highKeV = config.analysis().spectrumHighKeV();
    int nd = detectors.length;
    this.responses = new DetectorResponse[nd];
    for (int d = 0; d < nd; d++) {
      responses[d] = ConfiguredPhysics.response(detectors[d]);
    }
    List<String> nai = new ArrayList<>();
    for (BoardConfig b : config.digitizer().boards()) {
      for (ChannelConfig c : b.channels()) {
        if (c.role() == ChannelConfig.Role.NAI) {
          nai.add("board" + b.id() + "/ch" + c.channel());
        }
      }
    }
    this.naiCount = nai.size();
    String[] names = new String[nd];
    lowSampleKeV = new double[nd];
    weak = new TabulatedSampler[nd];
    magnetic = new TabulatedSampler[nd];
    millicharge = new TabulatedSampler[nd];
    weakHz = new double[nd];
    magneticHz = new double[nd];
    millichargeHz = new double[nd];
    for (int d = 0; d < nd; d++) {
      DetectorConfig det = detectors[d];
      names[d] = det.name();
      double sigmaAtThreshold = responses[d].sigmaKeV(det.thresholdKeV());
      // Below this true energy the chance to trigger is negligible (< 1e-6).
      lowSampleKeV[d] = Math.max(0.01, det.thresholdKeV() - 5 * (sigmaAtThreshold + det.thresholdWidthKeV()));
      RecoilRates r = rates.get(d);
      int points = (int) Math.min(20_001, Math.max(2_001, (highKeV - lowSampleKeV[d]) / 0.005));
      weak[d] = samplerOrNull(r::weakPerKeVKgDay, lowSampleKeV[d], points);
      weakHz[d] = rateHz(weak[d], det);
      if (sim.injectMuMuB() > 0) {
        magnetic[d] = samplerOrNull(r::magneticPerKeVKgDay, lowSampleKeV[d], points);
        magneticHz[d] = rateHz(magnetic[d], det);
      }
      if (sim.injectQE0() > 0) {
        millicharge[d] = samplerOrNull(r::millichargePerKeVKgDay, lowSampleKeV[d], points);
        millichargeHz[d] = rateHz(millicharge[d], det);
      }
    }
    tritium = TabulatedSampler.of(EventGenerator::tritiumShape, 0, TRITIUM_Q_KEV, 2_001);
    deadUntilNs = new long[nd];
    lastTriggerNs = new long[nd];
    java.util.Arrays.fill(lastTriggerNs, Long.MIN_VALUE / 2);
    totalDeadNs = new long[nd];
    deadTimeNs = Math.round(sim.hpgeDeadTimeNs());
    truth = new GroundTruth(names, nai.toArray(new String[0]), sim.injectMuMuB(), sim.injectQE0(), drift);

    int maxProcs = nd * (10 + sim.xrayLines().size()) + 2 * Math.max(1, naiCount);
    procKind = new int[maxProcs];
    procDetector = new int[maxProcs];
    procParam = new int[maxProcs];
    procCumulativeHz = new double[maxProcs];

    statusIntervalNs = Math.max(1, Math.round(sim.statusIntervalSeconds() * 1e9));
    nextStatusNs = statusIntervalNs;
    stateOn = periodAt(0).on();
    scheduleNextBurst(0);
  }

  /** A sampler for a rate density, or null where the density is zero everywhere (no such process). */
  private TabulatedSampler samplerOrNull(java.util.function.DoubleUnaryOperator perKeVKgDay, double lowKeV, int points) {
    double[] xs = new double[points];
    double[] ds = new double[points];
    boolean any = false;
    for (int i = 0; i < points; i++) {
      xs[i] = lowKeV + (highKeV - lowKeV) * i / (points - 1);
      ds[i] = perKeVKgDay.applyAsDouble(xs[i]);
      any |= ds[i] > 0;
    }
    return any ? new TabulatedSampler(xs, ds) : null;
  }

  private static double rateHz(TabulatedSampler sampler, DetectorConfig det) {
    return sampler == null ? 0 : sampler.integral() * det.massKg() / SECONDS_PER_DAY;
  }

  /** The ground truth so far. */
  public GroundTruth truth() {
    return truth;
  }

  /** Detector time reached, ns. */
  public long nowNs() {
    return nowNs;
  }

  /** True reactor state at the current time. */
  public boolean reactorOn() {
    return stateOn;
  }

  /**
   * Cumulative digitizer dead time of detector {@code d} up to time {@code t} (≥ the last emitted
   * trigger), ns: what the board's dead-time counter shows at that instant.
   */
  public long deadTimeNsUntil(int d, long t) {
    return totalDeadNs[d] - Math.max(0, deadUntilNs[d] - t);
  }

  /**
   * Multiplies the rate of every process (HPGe and NaI) by {@code k} from the next call of
   * {@link #generateUntil} on: the simulator's "burst" fault (a period at K× the normal rate).
   * Call it between two {@code generateUntil} calls whose bounds mark the burst period.
   *
   * @param k rate factor, finite and &gt; 0 (1 = normal)
   */
  public void setRateMultiplier(double k) {
    if (!(k > 0) || Double.isInfinite(k)) {
      throw new IllegalArgumentException("rate multiplier must be finite and > 0, got k=" + k);
    }
    this.rateMultiplier = k;
  }

  /** Number of NaI channels events are spread over. */
  public int naiChannels() {
    return naiCount;
  }

  /** Generates every event up to detector time {@code untilNs} (exclusive) and delivers it to the sink. */
  public void generateUntil(long untilNs) {
    while (nowNs < untilNs) {
      long segEnd = Math.min(untilNs, nowNs + MAX_SEGMENT_NS);
      long transition = nextTransitionAfter(nowNs);
      segEnd = Math.min(segEnd, transition);
      segEnd = Math.min(segEnd, nextStatusNs);
      if (burstStartNs > nowNs) {
        segEnd = Math.min(segEnd, burstStartNs);
      } else if (burstEndNs > nowNs) {
        segEnd = Math.min(segEnd, burstEndNs);
      }
      boolean bursting = nowNs >= burstStartNs && nowNs < burstEndNs;
      double totalHz = buildProcesses(0.5 * (nowNs + segEnd) * 1e-9, bursting);
      double tSeconds = 0;
      double spanSeconds = (segEnd - nowNs) * 1e-9;
      long segStart = nowNs;
      if (totalHz > 0) {
        while (true) {
          tSeconds += random.nextExponential() / totalHz;
          if (tSeconds >= spanSeconds) {
            break;
          }
          long t = segStart + (long) (tSeconds * 1e9);
          releasePendingUpTo(t);
          emitProcess(pickProcess(random.nextDouble() * totalHz), t);
        }
      }
      releasePendingBefore(segEnd);
      truth.realTimeNs[stateOn ? GroundTruth.ON : GroundTruth.OFF] += segEnd - segStart;
      nowNs = segEnd;
      if (segEnd == transition) {
        boolean newState = periodAt(segEnd).on();
        if (newState != stateOn) {
          moveDeadTimeAcrossTransition(segEnd, newState);
          stateOn = newState;
        }
        sink.onStatus(segEnd, stateOn);
      }
      if (segEnd == nextStatusNs) {
        if (segEnd != transition) {
          sink.onStatus(segEnd, stateOn);
        }
        nextStatusNs += statusIntervalNs;
      }
      if (segEnd == burstEndNs) {
        truth.burstsNs.add(new long[] {burstStartNs, burstEndNs});
        scheduleNextBurst(burstEndNs);
      }
    }
  }

  private void moveDeadTimeAcrossTransition(long boundary, boolean newStateOn) {
    int from = stateOn ? GroundTruth.ON : GroundTruth.OFF;
    int to = newStateOn ? GroundTruth.ON : GroundTruth.OFF;
    for (int d = 0; d < detectors.length; d++) {
      long overlap = Math.max(0, deadUntilNs[d] - boundary);
      truth.deadTimeNs[d][from] -= overlap;
      truth.deadTimeNs[d][to] += overlap;
    }
  }

  private void scheduleNextBurst(long afterNs) {
    if (sim.burstEveryDays() <= 0 || sim.burstRateHz() <= 0) {
      burstStartNs = Long.MAX_VALUE;
      burstEndNs = Long.MAX_VALUE;
      return;
    }
    double gapSeconds = random.nextExponential() * sim.burstEveryDays() * SECONDS_PER_DAY;
    burstStartNs = afterNs + Math.max(1, (long) (gapSeconds * 1e9));
    burstEndNs = burstStartNs + Math.max(1, Math.round(sim.burstDurationSeconds() * 1e9));
  }

  // --- the reactor schedule ------------------------------------------------------------------

  private long cycleNs() {
    long total = 0;
    for (SimulatorConfig.ReactorPeriod p : sim.schedule()) {
      total += periodNs(p);
    }
    return total;
  }

  private static long periodNs(SimulatorConfig.ReactorPeriod p) {
    return Math.round(p.days() * SECONDS_PER_DAY * 1e9);
  }

  private SimulatorConfig.ReactorPeriod periodAt(long t) {
    long inCycle = t % cycleNs();
    for (SimulatorConfig.ReactorPeriod p : sim.schedule()) {
      long len = periodNs(p);
      if (inCycle < len) {
        return p;
      }
      inCycle -= len;
    }
    return sim.schedule().get(0);
  }

  /** The first period boundary strictly after t. */
  long nextTransitionAfter(long t) {
    long cycle = cycleNs();
    long base = t - t % cycle;
    long edge = base;
    for (SimulatorConfig.ReactorPeriod p : sim.schedule()) {
      edge += periodNs(p);
      if (edge > t) {
        return edge;
      }
    }
    return base + cycle;
  }

  // --- processes -----------------------------------------------------------------------------

  private double buildProcesses(double midSeconds, boolean bursting) {
    procCount = 0;
    double cumulative = 0;
    double midDays = midSeconds / SECONDS_PER_DAY;
    for (int d = 0; d < detectors.length; d++) {
      DetectorConfig det = detectors[d];
      double kgPerDayToHz = det.massKg() / SECONDS_PER_DAY;
      if (stateOn) {
        cumulative = add(K_WEAK, d, 0, weakHz[d], cumulative);
        cumulative = add(K_MAGNETIC, d, 0, magneticHz[d], cumulative);
        cumulative = add(K_MILLICHARGE, d, 0, millichargeHz[d], cumulative);
      }
      double span = highKeV - lowSampleKeV[d];
      cumulative = add(K_CONTINUUM, d, 0, det.backgroundPerKeVKgDay() * span * kgPerDayToHz, cumulative);
      if (naiCount > 0) {
        cumulative = add(K_COMPTON, d, 0, sim.comptonPerKeVKgDay() * span * kgPerDayToHz, cumulative);
      }
      for (int l = 0; l < sim.xrayLines().size(); l++) {
        SimulatorConfig.XrayLine line = sim.xrayLines().get(l);
        double decay = Math.pow(0.5, midDays / line.halfLifeDays());
        cumulative = add(K_XRAY, d, l, line.initialPerKgDay() * decay * kgPerDayToHz, cumulative);
      }
      double tritiumDecay = Math.pow(0.5, midDays / TRITIUM_HALF_LIFE_DAYS);
      cumulative = add(K_TRITIUM, d, 0, sim.tritiumPerKgDay() * tritiumDecay * kgPerDayToHz, cumulative);
      cumulative = add(K_NOISE, d, 0, sim.noisePerKgDay() * kgPerDayToHz, cumulative);
      if (bursting) {
        cumulative = add(K_BURST, d, 0, sim.burstRateHz(), cumulative);
      }
      if (drift.pulserKeV() > 0) {
        cumulative = add(K_PULSER, d, 0, drift.pulserHz(), cumulative);
      }
    }
    for (int n = 0; n < naiCount; n++) {
      cumulative = add(K_NAI_SINGLE, 0, n, sim.naiSinglesHz() / naiCount, cumulative);
      cumulative = add(K_MUON, 0, n, sim.muonHz() / naiCount, cumulative);
    }
    return cumulative;
  }

  private double add(int kind, int detector, int param, double hz, double cumulative) {
    if (!(hz > 0)) {
      return cumulative;
    }
    double c = cumulative + hz * rateMultiplier;
    procKind[procCount] = kind;
    procDetector[procCount] = detector;
    procParam[procCount] = param;
    procCumulativeHz[procCount] = c;
    procCount++;
    return c;
  }

  private int pickProcess(double x) {
    for (int p = 0; p < procCount - 1; p++) {
      if (x < procCumulativeHz[p]) {
        return p;
      }
    }
    return procCount - 1;
  }

  private void emitProcess(int p, long t) {
    int d = procDetector[p];
    switch (procKind[p]) {
      case K_WEAK -> hpgeTrue(d, t, weak[d].sample(random.nextDouble()), EventClass.NEUTRINO_WEAK);
      case K_MAGNETIC -> hpgeTrue(d, t, magnetic[d].sample(random.nextDouble()), EventClass.NEUTRINO_MAGNETIC);
      case K_MILLICHARGE -> hpgeTrue(d, t, millicharge[d].sample(random.nextDouble()), EventClass.NEUTRINO_MILLICHARGE);
      case K_CONTINUUM -> hpgeTrue(d, t, uniform(lowSampleKeV[d], highKeV), EventClass.CONTINUUM);
      case K_COMPTON -> {
        if (hpgeTrue(d, t, uniform(lowSampleKeV[d], highKeV), EventClass.COMPTON_HPGE)) {
          // The scattered gamma deposits the rest in the NaI within a few hundred ns.
          naiHit(random.nextInt(naiCount), t + random.nextLong(200), uniform(50, 1000), EventClass.NAI_COMPTON);
        }
      }
      case K_XRAY -> hpgeTrue(d, t, sim.xrayLines().get(procParam[p]).energyKeV(), EventClass.XRAY_LINE);
      case K_TRITIUM -> hpgeTrue(d, t, tritium.sample(random.nextDouble()), EventClass.TRITIUM);
      case K_NOISE -> hpgeMeasured(d, t, detectors[d].thresholdKeV() + sim.noiseSlopeKeV() * random.nextExponential(), EventClass.NOISE);
      case K_BURST -> hpgeMeasured(d, t, detectors[d].thresholdKeV() + 3 * sim.noiseSlopeKeV() * random.nextExponential(), EventClass.NOISE_BURST);
      case K_NAI_SINGLE -> naiHit(procParam[p], t, 20 + 300 * random.nextExponential(), EventClass.NAI_SINGLE);
      case K_MUON -> {
        naiHit(procParam[p], t, uniform(20_000, 60_000), EventClass.NAI_MUON);
        if (detectors.length > 0 && random.nextDouble() < MUON_INDUCED_PROBABILITY) {
          int target = random.nextInt(detectors.length);
          // Neutron hits 5..50 µs after the muon: beyond the NaI veto window, so only the muon
          // dead-time gate removes them (as in the real shield, where they dominate without it).
          long delay = 5_000 + random.nextLong(45_000);
          hpgeTrueAt(target, t + delay, uniform(lowSampleKeV[target], highKeV), EventClass.MUON_INDUCED);
        }
      }
      case K_PULSER -> hpgeMeasured(d, t, drift.pulserKeV() + responses[d].noiseFwhmKeV() / 2.3548 * resolutionFactor(t)
          * random.nextGaussian(), EventClass.PULSER);
      default -> throw new IllegalStateException("unknown process kind " + procKind[p]);
    }
  }

  private double uniform(double low, double high) {
    return low + (high - low) * random.nextDouble();
  }

  /** Smears a true energy, applies the threshold efficiency, and queues the event; false if it did not trigger. */
  private boolean hpgeTrue(int d, long t, double trueKeV, EventClass c) {
    return hpgeTrueAt(d, t, trueKeV, c);
  }

  private boolean hpgeTrueAt(int d, long t, double trueKeV, EventClass c) {
    DetectorResponse response = responses[d];
    double measured = trueKeV + response.sigmaKeV(trueKeV) * resolutionFactor(t) * random.nextGaussian();
    double efficiency = response.efficiency(measured);
    if (random.nextDouble() >= efficiency) {
      truth.belowThreshold[d][c.ordinal()]++;
      return false;
    }
    return hpgeMeasured(d, t, measured, c);
  }

  private double resolutionFactor(long t) {
    return drifting ? drift.resolutionFactorAt(t) : 1.0;
  }

  /** Queues an HPGe event with its measured energy, recorded through the drifting energy scale. */
  private boolean hpgeMeasured(int d, long t, double measuredKeV, EventClass c) {
    double recordedKeV = drifting ? measuredKeV * drift.gainAt(t) + drift.offsetKeVAt(t) : measuredKeV;
    if (!pending.offer(t, d, true, recordedKeV, c.ordinal())) {
      truth.pendingOverflow++;
      return false;
    }
    return true;
  }

  private void naiHit(int n, long t, double energyKeV, EventClass c) {
    if (!pending.offer(t, n, false, energyKeV, c.ordinal())) {
      truth.pendingOverflow++;
    }
  }

  private void releasePendingUpTo(long t) {
    while (pending.size() > 0 && pending.headTime() <= t) {
      releaseHead();
    }
  }

  private void releasePendingBefore(long t) {
    while (pending.size() > 0 && pending.headTime() < t) {
      releaseHead();
    }
  }

  private void releaseHead() {
    long t = pending.headTime();
    int det = pending.headDetector();
    boolean hpge = pending.headHpge();
    double e = pending.headEnergy();
    int cls = pending.headClass();
    pending.removeHead();
    if (!hpge) {
      truth.naiTriggered[det][cls]++;
      sink.onEvent(det, false, t, e, 0, cls);
      return;
    }
    if (t < deadUntilNs[det]) {
      truth.deadTimeLost[det][cls]++;
      return;
    }
    int flags = t - lastTriggerNs[det] < 2 * deadTimeNs ? FLAG_PILEUP : 0;
    lastTriggerNs[det] = t;
    deadUntilNs[det] = t + deadTimeNs;
    totalDeadNs[det] += deadTimeNs;
    truth.deadTimeNs[det][stateOn ? GroundTruth.ON : GroundTruth.OFF] += deadTimeNs;
    truth.triggered[det][cls]++;
    sink.onEvent(det, true, t, e, flags, cls);
  }

  // --- tritium -------------------------------------------------------------------------------

  private static final double TRITIUM_Q_KEV = 18.6;
  private static final double TRITIUM_HALF_LIFE_DAYS = 12.3 * 365.25;
  private static final double ELECTRON_MASS_KEV = 510.99895;

  /** Allowed beta spectrum p·E·(Q−T)², without the Fermi function (small for Z = 2). */
  static double tritiumShape(double t) {
    if (t <= 0 || t >= TRITIUM_Q_KEV) {
      return 0;
    }
    double e = t + ELECTRON_MASS_KEV;
    double p = Math.sqrt(t * t + 2 * t * ELECTRON_MASS_KEV);
    double q = TRITIUM_Q_KEV - t;
    return p * e * q * q;
  }
}
