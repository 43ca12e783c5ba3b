package org.nudaq.server.http;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nudaq.monitor.config.DetectorConfig;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.spectrum.SpectrumSnapshot;
import org.nudaq.server.daemon.Daemon;
import org.nudaq.server.ingest.FrameQueue;
import org.nudaq.server.journal.JournalWriter;
import org.nudaq.server.metrics.DataTimeRates;
import org.nudaq.server.metrics.ShiftChecks;
import org.nudaq.server.pipeline.GateReason;
import org.nudaq.server.pipeline.PipelineSnapshot;
import org.nudaq.server.pipeline.RejectReason;

/**
 * The parts of the JSON API that the shift page needs beyond the physics documents of {@link
 * MonitoringApi}: the alert checks, journal and disk, the frame queue with its capacity, rates in
 * data time by kind of channel, per-detector accounting (dead time, exposure, excluded live time,
 * events by stage and reason) and the NaI channels with their spectra. Kept apart so that the
 * physics documents and these grow independently; every key here is added to {@code /api/status}
 * beside the existing ones, none replaces one.
 *
 * <p>Thread-safety: reads only published, immutable or atomic state; safe from any thread.
 */
final class ShiftDocuments {
  /** The lag above which NudaqPipelineLag fires (alerts.yml), frames. */
  static final int LAG_ALERT_FRAMES = 2048;
  /** Most NaI bins sent per spectrum: the page draws a shape, not a fit. */
  static final int NAI_MAX_BINS = 256;

  private final Daemon daemon;
  private final NudaqConfig config;
  private final DataTimeRates dataRates;
  private final ShiftChecks checks;
  private final Clock clock;

  ShiftDocuments(Daemon daemon, DataTimeRates dataRates, ShiftChecks checks, Clock clock) {
    this.clock = clock;
    this.daemon = daemon;
    this.config = daemon.config();
    this.dataRates = dataRates;
    this.checks = checks;
  }

  /** Adds the shift page's keys to a status document. */
  void addTo(Map<String, Object> m, PipelineSnapshot s) {
    m.put("alerts", alerts());
    m.put("storage", storage());
    m.put("frameQueue", frameQueue());
    m.put("dataTimeRates", dataTimeRates());
    m.put("analysis", analysis());
    m.put("detectorAccounting", s == null ? List.of() : detectorAccounting(s));
    m.put("naiChannels", s == null ? List.of() : naiChannels(s));
  }

  private Map<String, Object> alerts() {
    List<Object> list = new ArrayList<>();
    int firing = 0;
    for (ShiftChecks.Check c : checks.checks()) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("alert", c.alert());
      x.put("severity", MonitoringApi.label(c.severity()));
      x.put("firing", c.firing());
      x.put("detail", c.detail());
      x.put("runbook", c.runbook());
      list.add(x);
      firing += c.firing() ? 1 : 0;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("source", "the daemon's own checks of the rules in config/prometheus/alerts.yml (without their for: "
        + "durations and Alertmanager's inhibitions; NudaqDaemonDown and NudaqVetoRateOffMean only in Prometheus)");
    m.put("firing", firing);
    m.put("checks", list);
    return m;
  }

  private Map<String, Object> storage() {
    Map<String, Object> m = new LinkedHashMap<>();
    java.io.File data = existing(daemon.dataDir().toAbsolutePath().toFile());
    m.put("dataDirectory", daemon.dataDir().toAbsolutePath().toString());
    m.put("dataDiskFreeBytes", data.getUsableSpace());
    m.put("dataDiskTotalBytes", data.getTotalSpace());
    JournalWriter j = daemon.journal();
    Map<String, Object> journal = new LinkedHashMap<>();
    journal.put("enabled", j != null);
    if (j != null) {
      journal.put("directory", j.directory().toAbsolutePath().toString());
      journal.put("sizeBytes", j.sizeBytes());
      journal.put("diskFreeBytes", j.freeBytes());
      journal.put("floorBytes", j.floorBytes());
      journal.put("diskAlarm", j.diskAlarm());
      journal.put("diskFull", j.diskFull());
      journal.put("mappedFault", j.mappedFault());
      journal.put("frames", j.frames());
      long last = j.lastAppendEpochMs();
      journal.put("lastAppendAgeSeconds", last == 0 ? null : (clock.millis() - last) / 1000.0);
    }
    m.put("journal", journal);
    return m;
  }

  private static java.io.File existing(java.io.File f) {
    while (f != null && !f.exists()) {
      f = f.getParentFile();
    }
    return f == null ? new java.io.File("/") : f;
  }

  private Map<String, Object> frameQueue() {
    FrameQueue q = daemon.queue();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("lagFrames", q.size());
    m.put("capacityFrames", q.capacityFrames());
    m.put("lagBytes", q.queuedBytes());
    m.put("maxBytes", q.maxBytes());
    m.put("refusals", q.refusals());
    m.put("alertAboveFrames", LAG_ALERT_FRAMES);
    m.put("meaning", "frames received and journaled, waiting for the pipeline thread; when the queue is full the links "
        + "pause (back-pressure) and the boards buffer: nothing is lost, but a queue that stays more than half full "
        + "for 5 min (NudaqPipelineLag) means the pipeline cannot keep up with the event rate (normal while catching up)");
    return m;
  }

  private Map<String, Object> dataTimeRates() {
    DataTimeRates.Rates r = dataRates.rates();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("unit", "Hz of data time (the detector's clock), over the last " + Math.round(r.windowDataSeconds()) + " s of data");
    m.put("windowDataSeconds", r.windowDataSeconds());
    m.put("allChannelsHz", MonitoringApi.num(r.allChannelsHz()));
    m.put("hpgeReceivedHz", MonitoringApi.num(r.hpgeReceivedHz()));
    m.put("hpgeAcceptedHz", MonitoringApi.num(r.hpgeAcceptedHz()));
    m.put("hpgeVetoedHz", MonitoringApi.num(r.hpgeVetoedHz()));
    m.put("naiReceivedHz", MonitoringApi.num(r.naiReceivedHz()));
    m.put("muonHz", MonitoringApi.num(r.muonHz()));
    return m;
  }

  private Map<String, Object> analysis() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("windowLowKeV", config.analysis().windowLowKeV());
    m.put("windowHighKeV", config.analysis().windowHighKeV());
    m.put("binWidthKeV", config.analysis().binWidthKeV());
    m.put("configuredMethod", MonitoringApi.label(config.analysis().limitMethod()));
    m.put("confidenceLevel", config.analysis().confidenceLevel());
    m.put("qualitySliceSeconds", config.gates().qualitySliceSeconds());
    m.put("muonThresholdKeV", config.veto().muonThresholdKeV());
    m.put("naiThresholdKeV", config.veto().naiThresholdKeV());
    return m;
  }

  private List<Object> detectorAccounting(PipelineSnapshot s) {
    List<Object> out = new ArrayList<>();
    for (PipelineSnapshot.DetectorSnapshot d : s.detectors()) {
      DetectorConfig dc = config.detectors().stream().filter(x -> x.name().equals(d.detector())).findFirst().orElse(null);
      double massKg = dc == null ? Double.NaN : dc.massKg();
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("detector", d.detector());
      x.put("massKg", MonitoringApi.num(massKg));
      x.put("thresholdKeV", dc == null ? null : dc.thresholdKeV());
      x.put("realTimeSeconds", MonitoringApi.num(d.realTimeSeconds()));
      x.put("deadTimeSeconds", MonitoringApi.num(d.deadTimeSeconds()));
      x.put("deadTimeFraction", MonitoringApi.num(d.realTimeSeconds() > 0 ? d.deadTimeSeconds() / d.realTimeSeconds() : Double.NaN));
      x.put("exposureAfterGatesKgDays", Map.of("on", massKg * d.liveTimeOnSeconds() / 86_400,
          "off", massKg * d.liveTimeOffSeconds() / 86_400));
      x.put("excludedByGatesSeconds", Map.of("on", d.liveTimeBeforeGatesOnSeconds() - d.liveTimeOnSeconds(),
          "off", d.liveTimeBeforeGatesOffSeconds() - d.liveTimeOffSeconds()));
      x.put("badSliceSeconds", d.badSlices() * config.gates().qualitySliceSeconds());
      x.put("meanPowerFractionOn", d.meanPowerFractionOn());
      long received = 0;
      long vetoed = 0;
      long accepted = 0;
      long pending = 0;
      Map<String, Long> rejected = new LinkedHashMap<>();
      Map<String, Long> gated = new LinkedHashMap<>();
      for (RejectReason r : RejectReason.values()) {
        rejected.put(r.label(), 0L);
      }
      for (GateReason g : GateReason.values()) {
        gated.put(g.label(), 0L);
      }
      for (PipelineSnapshot.ChannelSnapshot c : s.channels()) {
        if (c.hpge() && d.detector().equals(c.detector())) {
          received += c.received();
          vetoed += c.vetoed();
          accepted += c.accepted();
          pending += c.pending();
          c.rejected().forEach((r, n) -> rejected.merge(r.label(), n, Long::sum));
          c.gated().forEach((g, n) -> gated.merge(g.label(), n, Long::sum));
        }
      }
      Map<String, Object> events = new LinkedHashMap<>();
      events.put("received", received);
      events.put("rejected", rejected);
      events.put("vetoed", vetoed);
      events.put("gated", gated);
      events.put("accepted", accepted);
      events.put("pending", pending);
      x.put("events", events);
      out.add(x);
    }
    return out;
  }

  private List<Object> naiChannels(PipelineSnapshot s) {
    List<Object> out = new ArrayList<>();
    for (PipelineSnapshot.ChannelSnapshot c : s.channels()) {
      if (!c.hpge()) {
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("board", c.boardId());
        x.put("channel", c.channel());
        x.put("detector", c.detector());
        x.put("received", c.received());
        x.put("accepted", c.accepted());
        out.add(x);
      }
    }
    return out;
  }

  /** Rounded to 4 significant digits: a drawn rate needs no more, and 17-digit doubles triple the document. */
  static double fourDigits(double v) {
    if (v == 0 || !Double.isFinite(v)) {
      return v;
    }
    return new java.math.BigDecimal(v).round(new java.math.MathContext(4)).doubleValue();
  }

  /**
   * GET /api/nai: every NaI channel's spectra (reactor ON and OFF, all accepted hits) in at most
   * {@link #NAI_MAX_BINS} groups of adjacent bins: exact counts, and counts per keV per hour of live
   * time to 4 significant digits for drawing.
   */
  Map<String, Object> nai() {
    PipelineSnapshot s = daemon.snapshot();
    if (s == null) {
      throw new HttpException(409, "no spectra yet: the pipeline has not published its first snapshot");
    }
    List<Object> spectra = new ArrayList<>();
    for (SpectrumSnapshot sp : s.naiSpectra()) {
      int bins = sp.binning().binCount();
      int group = Math.max(1, (bins + NAI_MAX_BINS - 1) / NAI_MAX_BINS);
      int groups = (bins + group - 1) / group;
      double hours = sp.liveTimeSeconds() / 3600;
      double[] energy = new double[groups];
      Double[] perKeVHour = new Double[groups];
      long[] counts = new long[groups];
      for (int g = 0; g < groups; g++) {
        int b0 = g * group;
        int b1 = Math.min(bins, b0 + group);
        long n = 0;
        for (int b = b0; b < b1; b++) {
          n += sp.count(b);
        }
        counts[g] = n;
        double widthKeV = (b1 - b0) * sp.binning().binWidthKeV();
        energy[g] = sp.binning().lowKeV() + (b0 + b1) / 2.0 * sp.binning().binWidthKeV();
        perKeVHour[g] = hours > 0 ? fourDigits(n / widthKeV / hours) : null;
      }
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("name", sp.labels().name());
      x.put("detector", sp.labels().detector());
      x.put("state", sp.labels().reactorState());
      x.put("liveTimeSeconds", sp.liveTimeSeconds());
      x.put("groupKeV", group * sp.binning().binWidthKeV());
      x.put("inRange", sp.inRangeCount());
      x.put("overflow", sp.overflowCount());
      x.put("energyKeV", energy);
      x.put("counts", counts);
      x.put("perKeVHour", perKeVHour);
      spectra.add(x);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("unit", "counts per keV per hour of live time");
    m.put("muonThresholdKeV", config.veto().muonThresholdKeV());
    m.put("naiThresholdKeV", config.veto().naiThresholdKeV());
    m.put("spectra", spectra);
    return m;
  }
}
