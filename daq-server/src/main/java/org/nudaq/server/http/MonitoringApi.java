package org.nudaq.server.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nudaq.monitor.analysis.AnalysisTemplates;
import org.nudaq.monitor.analysis.ExperimentResult;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.spectrum.SpectraDirectory;
import org.nudaq.monitor.spectrum.SpectrumSnapshot;
import org.nudaq.server.daemon.Daemon;
import org.nudaq.server.daemon.RunControl;
import org.nudaq.server.ingest.IngestLoop;
import org.nudaq.server.link.LinkStats;
import org.nudaq.server.metrics.DataTimeRates;
import org.nudaq.server.metrics.EventRates;
import org.nudaq.server.metrics.LimitsHistory;
import org.nudaq.server.metrics.ShiftChecks;
import org.nudaq.server.pipeline.GateReason;
import org.nudaq.server.pipeline.PipelineSnapshot;
import org.nudaq.server.pipeline.ReactorState;
import org.nudaq.server.pipeline.RejectReason;
import org.nudaq.server.pipeline.Stage;

/**
 * The JSON API's documents, built from the daemon's published state (snapshot, links, limits) as
 * plain maps and lists for Jackson. Spectra for the page are normalised the way physicists draw
 * them: counts per 0.1 keV per 1000 h of live time.
 *
 * <p>Thread-safety: reads only published, immutable or atomic state; safe from any thread. The
 * analysis templates are computed once, lazily.
 *
 * <p>Size: a little over the ~400-line rule, one method per JSON document of the API ({@code /api/...},
 * routed by {@link HttpRouter}), each a flat mapping of published state; the page and the run log grow
 * it this session, so a split by document family (spectra, limits, links) waits for those merges.
 */
public final class MonitoringApi {
  /** Where POST /api/control/snapshot saves the spectra, under the data directory: one folder per request. */
  public static final String SAVED_SPECTRA_DIRECTORY = "spectra-saved";
  /** Live time every displayed spectrum is scaled to, hours. */
  public static final double DISPLAY_HOURS = 1000;
  /** Bin width every displayed spectrum is scaled to, keV. */
  public static final double DISPLAY_BIN_KEV = 0.1;

  private final Daemon daemon;
  private final NudaqConfig config;
  private final EventRates rates;
  private final LimitsHistory history;
  private final Clock clock;
  private final Instant startedAt;
  private final ShiftDocuments shift;

  /**
   * @param rates     event rates in wall time (sampled by the caller)
   * @param history   the limits history (offered to by the caller)
   * @param dataRates rates in data time by kind of channel (sampled by the caller)
   * @param checks    the daemon's own alert checks (sampled by the caller)
   */
  public MonitoringApi(Daemon daemon, EventRates rates, LimitsHistory history, Clock clock, DataTimeRates dataRates,
      ShiftChecks checks) {
    this.shift = new ShiftDocuments(daemon, dataRates, checks, clock);
    this.daemon = daemon;
    this.config = daemon.config();
    this.rates = rates;
    this.history = history;
    this.clock = clock;
    this.startedAt = clock.instant();
  }

  /** The analysis templates (expected weak, μν and qν rates per window bin): the daemon's, built once with its limits. */
  public AnalysisTemplates templates() {
    return daemon.templates();
  }

  /** GET /api/status. */
  /**
   * Issue 17, GET /api/calibration (docs/metrics.md): whether online calibration is on, its settings, and the
   * calibration report of this daemon's run (per HPGe channel: the epochs applied, the newest attempt).
   */
  public Map<String, Object> calibration() {
    return calibration(null);
  }

  /**
   * GET /api/calibration?run=N: the calibration report of run N (docs/shift.md), the attempts and epochs in the
   * run's data-time span; a run unknown, or one whose start this daemon did not see, is a 404.
   */
  public Map<String, Object> calibration(Long run) {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    if (run != null) {
      org.nudaq.server.shift.RunRecord r = daemon.shift().record().run(run);
      if (r == null) {
        throw new HttpException(404, "no run " + run);
      }
      Long from;
      Long to;
      if (r.running()) {
        from = daemon.shift().runStartDataTimeNs();
        to = Long.MAX_VALUE;
      } else {
        from = r.summary() == null || !(r.summary().get("dataTimeFromNs") instanceof Number f) ? null : f.longValue();
        to = r.summary() == null || !(r.summary().get("dataTimeToNs") instanceof Number t) ? null : t.longValue();
      }
      if (from == null || to == null) {
        throw new HttpException(404, "run " + run + ": its data-time span is not known (started before this daemon, "
            + "or stopped by an older one); the whole report is GET /api/calibration");
      }
      m.put("run", run);
      m.put("dataTimeFromNs", from);
      m.put("dataTimeToNs", to == Long.MAX_VALUE ? null : to);
    }
    org.nudaq.monitor.config.CalibrationConfig c = daemon.config().calibration();
    m.put("enabled", c.enabled());
    m.put("linesKeV", c.linesKeV());
    m.put("pulserKeV", c.pulserKeV());
    m.put("terms", c.terms().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
    m.put("intervalHours", c.intervalHours());
    m.put("windowDays", c.windowDays());
    m.put("alarmShiftKeV", c.alarmShiftKeV());
    Object run0 = m.get("run");
    m.putAll(run0 == null ? daemon.calibrationHistory().report()
        : daemon.calibrationHistory().report((Long) m.get("dataTimeFromNs"),
            m.get("dataTimeToNs") == null ? Long.MAX_VALUE : (Long) m.get("dataTimeToNs")));
    return m;
  }

  /**
   * Issue 17, GET /api/calibration/history?points=N (docs/metrics.md): the newest N attempts per HPGe channel as
   * columns for the page's plots (line shifts and FWHM over time), with the drift alarm's band.
   */
  public Map<String, Object> calibrationHistory(int points, long sinceNs) {
    if (points < 1) {
      throw new HttpException(400, "points must be at least 1, got " + points);
    }
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("enabled", daemon.config().calibration().enabled());
    m.put("alarmShiftKeV", daemon.config().calibration().alarmShiftKeV());
    m.putAll(daemon.calibrationHistory().history(points, sinceNs));
    return m;
  }

  public Map<String, Object> status() {
    PipelineSnapshot s = daemon.snapshot();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("experiment", config.experiment());
    m.put("now", clock.instant().toString());
    m.put("startedAt", startedAt.toString());
    RunControl.State run = daemon.run().state();
    m.put("run", Map.of("running", run.running(), "number", run.runNumber(), "changedAt", run.changedAt().toString()));
    Map<String, Object> reactor = new LinkedHashMap<>();
    reactor.put("state", s == null ? "unknown" : label(s.reactorState()));
    reactor.put("source", label(config.gates().reactorStateSource()));
    m.put("reactor", reactor);
    m.put("snapshotTakenAt", s == null ? null : s.takenAt().toString());
    m.put("snapshotAgeSeconds", s == null ? null : (clock.millis() - s.takenAt().toEpochMilli()) / 1000.0);
    m.put("dataTimeSeconds", s == null ? 0 : s.dataTimeNs() * 1e-9);
    List<Object> links = new ArrayList<>();
    for (LinkStats l : daemon.links()) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("board", l.boardId());
      x.put("up", l.up());
      x.put("frames", l.framesReceived());
      x.put("bytes", l.bytesReceived());
      x.put("events", l.eventsReceived());
      x.put("crcErrors", l.crcErrors());
      x.put("sequenceGaps", l.sequenceGaps());
      x.put("framesLost", l.framesLost());
      x.put("reconnects", Math.max(0, l.connects() - 1));
      links.add(x);
    }
    m.put("links", links);
    List<Object> dets = new ArrayList<>();
    if (s != null) {
      for (PipelineSnapshot.DetectorSnapshot d : s.detectors()) {
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("detector", d.detector());
        x.put("liveTimeBeforeGatesSeconds", Map.of("on", d.liveTimeBeforeGatesOnSeconds(), "off",
            d.liveTimeBeforeGatesOffSeconds(), "unknown", d.liveTimeUnknownSeconds()));
        x.put("liveTimeAfterGatesSeconds", Map.of("on", d.liveTimeOnSeconds(), "off", d.liveTimeOffSeconds()));
        x.put("goodSlices", d.goodSlices());
        x.put("badSlices", d.badSlices());
        dets.add(x);
      }
    } else {
      for (var d : config.detectors()) {
        dets.add(Map.of("detector", d.name()));
      }
    }
    m.put("detectors", dets);
    EventRates.Rates r = rates.rates();
    Map<String, Object> rate = new LinkedHashMap<>();
    rate.put("receivedHz", num(r.receivedHz()));
    rate.put("acceptedHz", num(r.acceptedHz()));
    rate.put("vetoedHz", num(r.vetoedHz()));
    rate.put("vetoFraction", num(r.vetoFraction()));
    m.put("rates", rate);
    if (s != null) {
      PipelineSnapshot.Totals t = s.totals();
      Map<String, Object> totals = new LinkedHashMap<>();
      totals.put("received", t.received());
      totals.put("accepted", t.accepted());
      totals.put("vetoed", t.vetoed());
      totals.put("pending", t.pending());
      Map<String, Object> rej = new LinkedHashMap<>();
      for (RejectReason x : RejectReason.values()) {
        rej.put(x.label(), t.rejected().getOrDefault(x, 0L));
      }
      Map<String, Object> gat = new LinkedHashMap<>();
      for (GateReason x : GateReason.values()) {
        gat.put(x.label(), t.gated().getOrDefault(x, 0L));
      }
      totals.put("rejected", rej);
      totals.put("gated", gat);
      totals.put("muons", t.muons());
      totals.put("lostFrames", t.lostFrames());
      m.put("totals", totals);
    }
    IngestLoop ingest = daemon.ingest();
    m.put("pipeline", Map.of("lagFrames", daemon.queue().size(), "framesProcessed", ingest.framesProcessed(),
        "lastFrameLatencySeconds", ingest.lastFrameLatencyNanos() * 1e-9));
    shift.addTo(m, s);
    return m;
  }

  /** GET /api/limits. */
  public Map<String, Object> limits() {
    ExperimentResult r = daemon.ingest().latestLimits();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("available", r != null);
    if (r == null) {
      m.put("reason", "the limits need live time with the reactor ON and OFF");
      return m;
    }
    m.put("computedAt", r.computedAt().toString());
    m.put("method", label(r.method()));
    m.put("lineTreatment", r.mu() == null ? null : label(r.mu().lineTreatment()));
    m.put("confidenceLevel", r.confidenceLevel());
    m.put("onLiveTimeDays", num(r.onLiveTimeDays()));
    m.put("offLiveTimeDays", num(r.offLiveTimeDays()));
    m.put("onExposureKgDays", num(r.onExposureKgDays()));
    m.put("offExposureKgDays", num(r.offExposureKgDays()));
    // The per-parameter fields (the page's keys and the added ones) and the systematic part: one builder
    // shared with `nudaq limits --json` (keys in docs/analysis.md, "Result fields").
    m.put("mu", org.nudaq.monitor.analysis.ResultDocument.parameter(r, true));
    m.put("q", org.nudaq.monitor.analysis.ResultDocument.parameter(r, false));
    m.put("systematics", org.nudaq.monitor.analysis.ResultDocument.systematics(r));
    m.put("lineMasks", org.nudaq.monitor.analysis.ResultDocument.lineMasks(r)); // issue 17
    m.put("thresholdEstimateQ", num(r.thresholdEstimateQ()));
    addInterval(m, r);
    return m;
  }

  /**
   * The shift page's reading of a result: the configured method beside the one used (and why they
   * differ), and each interval's lower end (0 for an upper limit), in the parameter's unit.
   */
  private void addInterval(Map<String, Object> m, ExperimentResult r) {
    m.put("configuredMethod", label(config.analysis().limitMethod()));
    m.put("methodReason", r.method().name().contains("PROFILE_LIKELIHOOD")
        ? "some bin of the window holds fewer counts than the Gaussian approximation needs: the Poisson profile "
            + "likelihood is used until every bin is well filled, then the configured method"
        : "every bin of the window is well filled: the configured Gaussian method");
    if (r.mu() != null) {
      @SuppressWarnings("unchecked")
      Map<String, Object> mu = (Map<String, Object>) m.get("mu");
      mu.put("lowerLimit", num(r.mu().lowerLimitParameter() * AnalysisTemplates.MU_UNIT_MUB));
      mu.put("twoSided", r.mu().lowerLimitParameter() > 0);
    }
    if (r.q() != null) {
      @SuppressWarnings("unchecked")
      Map<String, Object> q = (Map<String, Object>) m.get("q");
      q.put("lowerLimit", num(r.q().lowerLimitParameter() * AnalysisTemplates.Q_UNIT_E0));
      q.put("twoSided", r.q().lowerLimitParameter() > 0);
    }
  }

  /** GET /api/nai: the NaI spectra, grouped for drawing. */
  public Map<String, Object> nai() {
    return shift.nai();
  }

  /**
   * GET /api/limits/history: column arrays, oldest first; time in epoch seconds, live times in days,
   * exposures (after the gates, summed over detectors) in kg·day. The page plots the limits against
   * {@code exposureKgDays} (ON + OFF), not wall time: the expected limit depends on the exposure.
   */
  public Map<String, Object> limitsHistory() {
    return limitsHistory(Double.NEGATIVE_INFINITY);
  }

  /**
   * GET /api/limits/history?since=T: only the results computed after epoch second {@code sinceEpochSeconds}
   * (the page asks for what is new since its last point: a refresh moves a few hundred bytes, not the
   * whole history).
   */
  public Map<String, Object> limitsHistory(double sinceEpochSeconds) {
    List<ExperimentResult> rs = history.results().stream()
        .filter(r -> r.computedAt().toEpochMilli() / 1000.0 > sinceEpochSeconds).toList();
    int n = rs.size();
    double[] time = new double[n];
    Double[][] cols = new Double[13][n];
    for (int i = 0; i < n; i++) {
      ExperimentResult r = rs.get(i);
      time[i] = r.computedAt().toEpochMilli() / 1000.0;
      double[] v = {r.muLimit(), r.muExpected(), r.muExpectedMinus1(), r.muExpectedPlus1(), r.qLimit(), r.qExpected(),
          r.qExpectedMinus1(), r.qExpectedPlus1(), r.onLiveTimeDays(), r.offLiveTimeDays(), r.onExposureKgDays(),
          r.offExposureKgDays(), r.onExposureKgDays() + r.offExposureKgDays()};
      for (int k = 0; k < v.length; k++) {
        cols[k][i] = num(v[k]);
      }
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("capacity", history.capacity());
    m.put("time", time);
    String[] names = {"muLimit", "muExpected", "muExpectedMinus1", "muExpectedPlus1", "qLimit", "qExpected",
        "qExpectedMinus1", "qExpectedPlus1", "onLiveTimeDays", "offLiveTimeDays", "onExposureKgDays",
        "offExposureKgDays", "exposureKgDays"};
    for (int k = 0; k < names.length; k++) {
      m.put(names[k], cols[k]);
    }
    return m;
  }

  /** The snapshot's spectrum for a request, or 404/409 with the reason. */
  public SpectrumSnapshot spectrum(String detector, String state, String stage) {
    PipelineSnapshot s = daemon.snapshot();
    if (s == null) {
      throw new HttpException(409, "no spectra yet: the pipeline has not published its first snapshot");
    }
    return detectorSnapshot(s, detector).spectrum(stage(stage), reactorState(state));
  }

  /** GET /api/spectra: counts and counts per 0.1 keV per 1000 h (null while there is no live time). */
  public Map<String, Object> spectrumJson(SpectrumSnapshot sp) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", sp.labels().name());
    m.put("detector", sp.labels().detector());
    m.put("state", sp.labels().reactorState());
    m.put("stage", sp.labels().stage());
    m.put("lowKeV", sp.binning().lowKeV());
    m.put("binWidthKeV", sp.binning().binWidthKeV());
    m.put("binCount", sp.binning().binCount());
    m.put("massKg", sp.massKg());
    m.put("liveTimeSeconds", sp.liveTimeSeconds());
    m.put("takenAt", sp.takenAt().toString());
    m.put("underflow", sp.underflowCount());
    m.put("overflow", sp.overflowCount());
    m.put("inRange", sp.inRangeCount());
    m.put("counts", sp.counts());
    double scale = displayScale(sp);
    if (scale > 0) {
      double[] v = new double[sp.binning().binCount()];
      double[] e = new double[v.length];
      for (int i = 0; i < v.length; i++) {
        v[i] = sp.count(i) * scale;
        e[i] = Math.sqrt((double) sp.count(i)) * scale;
      }
      m.put("per1000h", v);
      m.put("errorPer1000h", e);
    } else {
      m.put("per1000h", null);
      m.put("errorPer1000h", null);
    }
    return m;
  }

  /**
   * GET /api/residual: ON − OFF − weak in the analysis window of a detector (after gates), in counts
   * per 0.1 keV per 1000 h, averaged over groups of {@code rebin} bins, with the μν and qν templates
   * at the current limits (from {@link AnalysisTemplates}).
   */
  public Map<String, Object> residual(String detector, int rebin) {
    if (rebin < 1 || rebin > 1000) {
      throw new HttpException(400, "rebin must be between 1 and 1000, got " + rebin);
    }
    PipelineSnapshot s = daemon.snapshot();
    if (s == null) {
      throw new HttpException(409, "no spectra yet: the pipeline has not published its first snapshot");
    }
    PipelineSnapshot.DetectorSnapshot d = detectorSnapshot(s, detector);
    int det = s.detectors().indexOf(d);
    SpectrumSnapshot on = d.spectrum(Stage.AFTER_GATES, ReactorState.ON);
    SpectrumSnapshot off = d.spectrum(Stage.AFTER_GATES, ReactorState.OFF);
    AnalysisTemplates t = templates();
    ExperimentResult r = daemon.ingest().latestLimits();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("detector", d.detector());
    m.put("takenAt", s.takenAt().toString());
    m.put("unit", "counts per 0.1 keV per 1000 h");
    m.put("rebin", rebin);
    m.put("muLimit", r == null ? null : num(r.muLimit()));
    m.put("qLimit", r == null ? null : num(r.qLimit()));
    double onScale = displayScale(on);
    double offScale = displayScale(off);
    m.put("available", onScale > 0 && offScale > 0);
    if (!(onScale > 0 && offScale > 0)) {
      m.put("reason", "needs after-gates live time with the reactor ON and OFF");
      return m;
    }
    // Templates are counts per day in each window bin; to counts per 0.1 keV per 1000 h:
    double perDayToDisplay = DISPLAY_HOURS / 24.0 * (DISPLAY_BIN_KEV / on.binning().binWidthKeV());
    double[] weak = t.weakPerDay();
    double[] muUnit = t.muUnitPerDay();
    double[] qUnit = t.qUnitPerDay();
    double muFactor = r == null ? 0 : Math.pow(r.muLimit() / AnalysisTemplates.MU_UNIT_MUB, 2);
    double qFactor = r == null ? 0 : Math.pow(r.qLimit() / AnalysisTemplates.Q_UNIT_E0, 2);
    int first = det * t.windowBins();
    int groups = (t.windowBins() + rebin - 1) / rebin;
    double[] energy = new double[groups];
    Double[] value = new Double[groups];
    Double[] error = new Double[groups];
    Double[] muTemplate = new Double[groups];
    Double[] qTemplate = new Double[groups];
    for (int g = 0; g < groups; g++) {
      int k0 = first + g * rebin;
      int k1 = Math.min(first + t.windowBins(), k0 + rebin);
      int n = k1 - k0;
      long onN = 0;
      long offN = 0;
      double w = 0;
      double mu = 0;
      double q = 0;
      for (int k = k0; k < k1; k++) {
        int bin = t.spectrumBinOf(k);
        onN += on.count(bin);
        offN += off.count(bin);
        w += weak[k];
        mu += muUnit[k];
        q += qUnit[k];
      }
      int lowBin = t.spectrumBinOf(k0);
      energy[g] = (on.binning().lowEdgeKeV(lowBin) + on.binning().highEdgeKeV(t.spectrumBinOf(k1 - 1))) / 2;
      value[g] = num((onN * onScale - offN * offScale - w * perDayToDisplay) / n);
      error[g] = num(Math.sqrt(onN * onScale * onScale + offN * offScale * offScale) / n);
      muTemplate[g] = num(mu * muFactor * perDayToDisplay / n);
      qTemplate[g] = num(q * qFactor * perDayToDisplay / n);
    }
    m.put("energyKeV", energy);
    m.put("residual", value);
    m.put("error", error);
    m.put("muTemplate", muTemplate);
    m.put("qTemplate", qTemplate);
    m.put("windowSum", windowSum(t, first, on, off, onScale, offScale, perDayToDisplay, muFactor, qFactor));
    return m;
  }

  /**
   * The residual and the signals at the limits summed over the window bins that carry a signal (the
   * bins the limits use: masked lines left out), in counts per 1000 h of live time: per bin the signal
   * is small against its error, summed it is the excess the limit excludes.
   */
  private static Map<String, Object> windowSum(AnalysisTemplates t, int first, SpectrumSnapshot on, SpectrumSnapshot off,
      double onScale, double offScale, double perDayToDisplay, double muFactor, double qFactor) {
    double toCounts = on.binning().binWidthKeV() / DISPLAY_BIN_KEV; // per 0.1 keV -> per bin
    double residual = 0;
    double variance = 0;
    double mu = 0;
    double q = 0;
    int bins = 0;
    double[] weak = t.weakPerDay(); // copies: taken once
    double[] muUnit = t.muUnitPerDay();
    double[] qUnit = t.qUnitPerDay();
    for (int k = first; k < first + t.windowBins(); k++) {
      if (!(muUnit[k] > 0)) {
        continue;
      }
      int bin = t.spectrumBinOf(k);
      residual += on.count(bin) * onScale - off.count(bin) * offScale - weak[k] * perDayToDisplay;
      variance += on.count(bin) * onScale * onScale + off.count(bin) * offScale * offScale;
      mu += muUnit[k] * muFactor * perDayToDisplay;
      q += qUnit[k] * qFactor * perDayToDisplay;
      bins++;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("unit", "counts per 1000 h");
    m.put("bins", bins);
    m.put("residual", num(residual * toCounts));
    m.put("error", num(Math.sqrt(variance) * toCounts));
    m.put("mu", num(mu * toCounts));
    m.put("q", num(q * toCounts));
    return m;
  }

  /**
   * POST /api/control/snapshot: writes the latest published spectra as JSON files into
   * {@code <data>/spectra-saved/<UTC time>/}; returns their paths.
   */
  public List<String> writeSnapshot() {
    PipelineSnapshot s = daemon.snapshot();
    if (s == null) {
      throw new HttpException(409, "no spectra yet: the pipeline has not published its first snapshot");
    }
    String stamp = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC)
        .format(clock.instant());
    Path dir = daemon.dataDir().resolve(SAVED_SPECTRA_DIRECTORY).resolve(stamp);
    List<String> paths = new ArrayList<>();
    try {
      for (Path f : SpectraDirectory.write(dir, s.detectorSpectra())) {
        paths.add(f.toAbsolutePath().toString());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save the spectra to " + dir.toAbsolutePath() + ": " + e, e);
    }
    return paths;
  }

  /** Scale from counts to counts per 0.1 keV per 1000 h of live time; 0 without live time. */
  static double displayScale(SpectrumSnapshot sp) {
    double hours = sp.liveTimeSeconds() / 3600.0;
    if (!(hours > 0)) {
      return 0;
    }
    return DISPLAY_HOURS / hours * (DISPLAY_BIN_KEV / sp.binning().binWidthKeV());
  }

  private PipelineSnapshot.DetectorSnapshot detectorSnapshot(PipelineSnapshot s, String detector) {
    if (detector == null || detector.isEmpty()) {
      return s.detectors().get(0);
    }
    for (PipelineSnapshot.DetectorSnapshot d : s.detectors()) {
      if (d.detector().equals(detector)) {
        return d;
      }
    }
    throw new HttpException(404, "no detector named '" + detector + "' (configured: " + String.join(", ", config.detectors().stream().map(d -> d.name()).toList()) + ")");
  }

  static ReactorState reactorState(String state) {
    if (state == null) {
      throw new HttpException(400, "missing parameter state (on or off)");
    }
    return switch (state) {
      case "on" -> ReactorState.ON;
      case "off" -> ReactorState.OFF;
      default -> throw new HttpException(400, "state must be on or off, got '" + state + "'");
    };
  }

  static Stage stage(String stage) {
    if (stage == null) {
      return Stage.AFTER_GATES;
    }
    for (Stage s : Stage.values()) {
      if (s.label().equals(stage)) {
        return s;
      }
    }
    throw new HttpException(400, "stage must be all, after-veto or after-gates, got '" + stage + "'");
  }

  static String label(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** JSON has no NaN or infinity: null instead. */
  static Double num(double v) {
    return Double.isFinite(v) ? v : null;
  }
}
