package org.nudaq.server.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.nudaq.monitor.analysis.ExperimentResult;
import org.nudaq.monitor.config.DetectorConfig;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.server.link.LinkStats;
import org.nudaq.server.pipeline.GateReason;
import org.nudaq.server.pipeline.PipelineSnapshot;
import org.nudaq.server.pipeline.RejectReason;

/**
 * The run summary the daemon writes next to its data on shutdown: accounting by channel and reason,
 * live time and exposure per reactor state, link counters, and the latest limits with their method.
 */
public final class RunSummary {
  private RunSummary() {}

  /** The summary as JSON-ready maps. */
  public static Map<String, Object> of(NudaqConfig config, Instant startedAt, Instant stoppedAt, PipelineSnapshot s,
      boolean accountingBalances, List<LinkStats> links, ExperimentResult limits) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("experiment", config.experiment());
    root.put("config", config.source());
    root.put("startedAt", startedAt.toString());
    root.put("stoppedAt", stoppedAt.toString());
    root.put("dataTimeSeconds", s.dataTimeNs() * 1e-9);

    Map<String, Object> accounting = new LinkedHashMap<>();
    PipelineSnapshot.Totals t = s.totals();
    accounting.put("identity", "received = accepted + vetoed + rejected + gated + pending");
    accounting.put("balances", accountingBalances);
    accounting.put("received", t.received());
    accounting.put("accepted", t.accepted());
    accounting.put("vetoed", t.vetoed());
    accounting.put("rejected", byReason(RejectReason.values(), t.rejected(), r -> r.label()));
    accounting.put("gated", byReason(GateReason.values(), t.gated(), g -> g.label()));
    accounting.put("pending", t.pending());
    accounting.put("lostFrames", t.lostFrames());
    accounting.put("muons", t.muons());
    List<Map<String, Object>> channels = new ArrayList<>();
    for (PipelineSnapshot.ChannelSnapshot c : s.channels()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("board", c.boardId());
      m.put("channel", c.channel());
      m.put("role", c.hpge() ? "hpge" : "nai");
      m.put("detector", c.detector());
      m.put("received", c.received());
      m.put("accepted", c.accepted());
      m.put("vetoed", c.vetoed());
      m.put("rejected", byReason(RejectReason.values(), c.rejected(), r -> r.label()));
      m.put("gated", byReason(GateReason.values(), c.gated(), g -> g.label()));
      m.put("pending", c.pending());
      m.put("lostTriggersReported", c.lostTriggersReported());
      m.put("boardAcceptedTriggers", c.boardAcceptedTriggers());
      channels.add(m);
    }
    accounting.put("channels", channels);
    root.put("accounting", accounting);

    List<Map<String, Object>> live = new ArrayList<>();
    for (int i = 0; i < s.detectors().size(); i++) {
      PipelineSnapshot.DetectorSnapshot d = s.detectors().get(i);
      DetectorConfig dc = config.detectors().get(i);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("detector", d.detector());
      m.put("massKg", dc.massKg());
      m.put("liveTimeBeforeGatesOnSeconds", d.liveTimeBeforeGatesOnSeconds());
      m.put("liveTimeBeforeGatesOffSeconds", d.liveTimeBeforeGatesOffSeconds());
      m.put("liveTimeOnSeconds", d.liveTimeOnSeconds());
      m.put("liveTimeOffSeconds", d.liveTimeOffSeconds());
      m.put("liveTimeUnknownSeconds", d.liveTimeUnknownSeconds());
      m.put("powerWeightedLiveTimeBeforeGatesOnSeconds", d.powerWeightedLiveTimeBeforeGatesOnSeconds());
      m.put("meanPowerFractionOn", d.meanPowerFractionOn());
      m.put("exposureOnKgDays", dc.massKg() * d.liveTimeOnSeconds() / 86_400);
      m.put("exposureOffKgDays", dc.massKg() * d.liveTimeOffSeconds() / 86_400);
      m.put("goodSlices", d.goodSlices());
      m.put("badSlices", d.badSlices());
      live.add(m);
    }
    root.put("detectors", live);

    List<Map<String, Object>> linkList = new ArrayList<>();
    for (LinkStats l : links) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("board", l.boardId());
      m.put("framesReceived", l.framesReceived());
      m.put("eventsReceived", l.eventsReceived());
      m.put("bytesReceived", l.bytesReceived());
      m.put("crcErrors", l.crcErrors());
      m.put("malformedFrames", l.malformedFrames());
      m.put("skippedBytes", l.skippedBytes());
      m.put("cutFrameBytes", l.cutFrameBytes());
      m.put("sequenceGaps", l.sequenceGaps());
      m.put("framesLost", l.framesLost());
      m.put("duplicateFrames", l.duplicateFrames());
      m.put("duplicateFrameEvents", l.duplicateFrameEvents());
      m.put("connects", l.connects());
      m.put("disconnects", l.disconnects());
      m.put("framesDropped", l.framesDropped());
      m.put("framesBeforeHello", l.framesBeforeHello());
      m.put("sequenceResets", l.sequenceResets());
      m.put("foreignFrames", l.foreignFrames());
      m.put("helloTimeouts", l.helloTimeouts());
      m.put("backpressurePauses", l.backpressurePauses());
      linkList.add(m);
    }
    root.put("links", linkList);

    root.put("limits", limits == null ? null : limits(limits));
    return root;
  }

  /** The running limits as in the summary's {@code limits} block (also each run's summary at its stop). */
  public static Map<String, Object> limits(ExperimentResult limits) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("method", limits.method().name());
    m.put("confidenceLevel", limits.confidenceLevel());
    m.put("computedAt", limits.computedAt().toString());
    m.put("onLiveTimeDays", limits.onLiveTimeDays());
    m.put("offLiveTimeDays", limits.offLiveTimeDays());
    m.put("muHat2", limits.muHat2());
    m.put("muSigma2", limits.muSigma2());
    m.put("muLimit", limits.muLimit());
    m.put("muExpected", limits.muExpected());
    m.put("qHat2", limits.qHat2());
    m.put("qSigma2", limits.qSigma2());
    m.put("qLimit", limits.qLimit());
    m.put("qExpected", limits.qExpected());
    m.put("thresholdEstimateQ", limits.thresholdEstimateQ());
    Map<String, Object> units = new LinkedHashMap<>(); // in this order in every summary (Map.of's order varies by run)
    units.put("mu", "mu_B");
    units.put("mu2", "mu_B^2");
    units.put("q", "e0");
    units.put("q2", "e0^2");
    m.put("units", units);
    // Issue 17: where the line masks' widths and the energy-scale constraints came from.
    m.put("lineMasks", org.nudaq.monitor.analysis.ResultDocument.lineMasks(limits));
    m.put("energyScale", org.nudaq.monitor.analysis.ResultDocument.energyScaleConstraints(limits));
    return m;
  }

  /** Counts by reason under the reasons' labels ({@code data_quality}), every reason, in declaration order. */
  public static <R> Map<String, Long> byReason(R[] reasons, Map<R, Long> counts, Function<R, String> label) {
    Map<String, Long> m = new LinkedHashMap<>();
    for (R r : reasons) {
      m.put(label.apply(r), counts.getOrDefault(r, 0L));
    }
    return m;
  }

  /** Writes atomically (temporary file, then rename), so a crash never leaves half a summary. */
  public static void write(Map<String, Object> summary, Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (java.io.OutputStream out = Files.newOutputStream(tmp)) {
      SummaryJson.write(summary, out);
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
