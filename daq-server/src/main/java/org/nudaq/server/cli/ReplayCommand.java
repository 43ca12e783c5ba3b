package org.nudaq.server.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nudaq.monitor.config.ConfigLoader;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.server.compass.CompassImport;
import org.nudaq.server.journal.JournalSession;
import org.nudaq.server.pipeline.PipelineSnapshot;
import org.nudaq.server.replay.JournalReplay;
import org.nudaq.server.replay.ReplayResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code nudaq replay}: a journal session (or a folder of CoMPASS list files) through the same
 * pipeline code as the daemon; prints the accounting per board/channel, writes spectra and a summary.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
    description = "Replay a journal (or CAEN CoMPASS list files) through the pipeline.")
public final class ReplayCommand implements Callable<Integer> {

  @Mixin
  RecordedInputOptions recorded;

  @Option(names = {"-c", "--config"}, paramLabel = "FILE",
      description = "configuration; for a journal the default is the one journaled with the session")
  Path config;

  @Option(names = "--pace", paramLabel = "FACTOR|max", defaultValue = "max",
      description = "max, or a factor of the recorded pace (1 = as recorded)")
  String pace;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "replay-out", description = "output directory (default: ${DEFAULT-VALUE})")
  Path out;

  @Option(names = "--json", description = "print the summary as JSON")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Instant started = Instant.now();
    ReplayResult result;
    List<Map<String, Object>> files = new ArrayList<>();
    CompassImport.Result compass = null;
    if (recorded.compass() != null) {
      if (config == null) {
        throw new IllegalArgumentException("--compass needs --config FILE (its compass.channels map)");
      }
      NudaqConfig c = new ConfigLoader().load(config);
      CompassImport.Result r = new CompassImport(c).run(recorded.compass(), recorded.compassOptions(c.reactor().thermalPowerMW()));
      result = r.replay();
      compass = r;
      for (CompassImport.FileResult f : r.files()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", f.file().toString());
        m.put("records", f.records());
        m.put("fake", f.fake());
        m.put("unmapped", f.unmapped());
        m.put("error", f.error());
        files.add(m);
      }
    } else {
      if (recorded.reactorGiven()) {
        throw new IllegalArgumentException("--reactor, --reactor-timeline and --run-start apply to --compass only"
            + " (a journal carries its reactor states)");
      }
      List<JournalSession> sessions = JournalSession.all(recorded.journal());
      if (sessions.isEmpty()) {
        throw new IllegalArgumentException("the journal at " + recorded.journal().toAbsolutePath() + " has no session: nothing to replay");
      }
      if (recorded.session == 0 || recorded.session > sessions.size()) {
        throw new IllegalArgumentException("--session must be 1.." + sessions.size() + " (the journal at " + recorded.journal().toAbsolutePath()
            + " holds " + sessions.size() + " sessions), got " + recorded.session);
      }
      JournalSession s = sessions.get(recorded.session < 0 ? sessions.size() - 1 : recorded.session - 1);
      NudaqConfig c = config == null ? JournalReplay.sessionConfig(s) : new ConfigLoader().load(config);
      result = new JournalReplay().replay(recorded.journal(), s, c, recorded.from == null ? Long.MIN_VALUE : recorded.from.toEpochMilli(),
          recorded.to == null ? Long.MAX_VALUE : recorded.to.toEpochMilli(), JournalReplay.Pace.parse(pace));
      // The session's runs and logbook (issue 18), as the daemon keeps them in <data>/runs.
      new org.nudaq.server.shift.ShiftFiles(out.resolve("runs"))
          .writeAll(org.nudaq.server.shift.ShiftReplay.read(recorded.journal(), s, c.slowControl()));
    }
    Map<String, Object> summary = result.write(out, started, Instant.now());
    if (!files.isEmpty()) {
      summary.put("files", files);
    }
    if (compass != null) {
      summary.put("reactorSource", compass.reactorSource());
      summary.put("liveTime", liveTime(compass.liveTime()));
      org.nudaq.server.daemon.RunSummary.write(summary, out.resolve("replay-summary.json"));
    }
    if (json) {
      System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(summary));
    } else {
      print(result, files);
      if (compass != null) {
        CompassImport.LiveTimeEstimate lt = compass.liveTime();
        System.out.printf("reactor state: %s%n", compass.reactorSource());
        System.out.printf("live time ESTIMATED (list files record none): real time %.6f s from %s; dead time: %s%n",
            lt.realTimeSeconds(), lt.realTimeSource(), lt.deadTimeMethod());
        if (lt.runFileProblem() != null) {
          System.out.println("warning: " + lt.runFileProblem());
        }
      }
      System.out.println("nudaq replay: spectra and replay-summary.json in " + out.toAbsolutePath());
    }
    return 0;
  }

  private static Map<String, Object> liveTime(CompassImport.LiveTimeEstimate lt) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("estimated", lt.estimated());
    m.put("realTimeSeconds", lt.realTimeSeconds());
    m.put("realTimeSource", lt.realTimeSource());
    m.put("deadTimeMethod", lt.deadTimeMethod());
    m.put("deadTimePerEventNs", lt.deadTimePerEventNs());
    m.put("triggerCounterFlagsPerFile", lt.triggerCounterFlags());
    m.put("runFileProblem", lt.runFileProblem());
    return m;
  }

  private static void print(ReplayResult r, List<Map<String, Object>> files) {
    for (Map<String, Object> f : files) {
      System.out.printf("file %s: %d records, %d fake, %d unmapped%s%n", f.get("file"), f.get("records"), f.get("fake"),
          f.get("unmapped"), f.get("error") == null ? "" : ", ERROR " + f.get("error"));
    }
    System.out.printf("%-6s %-8s %-6s %12s %12s %12s %12s %12s%n", "board", "channel", "role", "read", "accepted", "vetoed",
        "rejected", "gated");
    for (PipelineSnapshot.ChannelSnapshot c : r.snapshot().channels()) {
      long rej = c.rejected().values().stream().mapToLong(Long::longValue).sum();
      long gat = c.gated().values().stream().mapToLong(Long::longValue).sum();
      System.out.printf("%-6d %-8d %-6s %12d %12d %12d %12d %12d%n", c.boardId(), c.channel(), c.hpge() ? "hpge" : "nai",
          c.received(), c.accepted(), c.vetoed(), rej, gat);
    }
    System.out.printf("%d events in %.3f s (%.3g events/s); decode errors %d; accounting balances: %s%n", r.events(),
        r.elapsedNanos() * 1e-9, r.eventsPerSecond(), r.decodeErrors(), r.accountingBalances());
  }
}
