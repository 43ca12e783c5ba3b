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
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nudaq replay}: a journal session (or a folder of CoMPASS list files) through the same
 * pipeline code as the daemon; prints the accounting per board/channel, writes spectra and a summary.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
    description = "Replay a journal (or CAEN CoMPASS list files) through the pipeline.")
public final class ReplayCommand implements Callable<Integer> {

  static final class Input {
    @Option(names = "--journal", paramLabel = "DIR", description = "journal directory (data/journal)")
    Path journal;

    @Option(names = "--compass", paramLabel = "DIR", description = "folder of CoMPASS .BIN/.CSV list files (needs --config)")
    Path compass;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Input input;

  @Option(names = {"-c", "--config"}, paramLabel = "FILE",
      description = "configuration; for a journal the default is the one journaled with the session")
  Path config;

  @Option(names = "--session", paramLabel = "N", defaultValue = "-1",
      description = "journal session number, 1 = oldest (default: the last)")
  int session;

  @Option(names = "--from", paramLabel = "T", description = "only frames journaled at or after T (ISO-8601 instant)")
  Instant from;

  @Option(names = "--to", paramLabel = "T", description = "only frames journaled before T (ISO-8601 instant)")
  Instant to;

  @Option(names = "--pace", paramLabel = "FACTOR|max", defaultValue = "max",
      description = "max, or a factor of the recorded pace (1 = as recorded)")
  String pace;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "replay-out", description = "output directory (default: ${DEFAULT-VALUE})")
  Path out;

  @Option(names = "--json", description = "print the summary as JSON")
  boolean json;

  @Option(names = "--reactor", paramLabel = "on|off",
      description = "with --compass: the reactor state of the whole folder")
  String reactor;

  @Option(names = "--reactor-timeline", paramLabel = "FILE",
      description = "with --compass: the plant's reactor timeline (CSV time,state,power; README 'Reactor timeline')")
  Path reactorTimeline;

  @Option(names = "--run-start", paramLabel = "T",
      description = "with --compass: the instant of CoMPASS time stamp 0 (ISO-8601, e.g. 2026-03-01T12:00:00Z); default: run.info's time.start")
  Instant runStart;

  @Override
  public Integer call() throws Exception {
    Instant started = Instant.now();
    ReplayResult result;
    List<Map<String, Object>> files = new ArrayList<>();
    CompassImport.Result compass = null;
    if (input.compass != null) {
      if (config == null) {
        throw new IllegalArgumentException("--compass needs --config FILE (its compass.channels map)");
      }
      NudaqConfig c = new ConfigLoader().load(config);
      CompassImport.Result r = new CompassImport(c).run(input.compass, compassOptions(c));
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
      if (reactor != null || reactorTimeline != null || runStart != null) {
        throw new IllegalArgumentException("--reactor, --reactor-timeline and --run-start apply to --compass only"
            + " (a journal carries its reactor states)");
      }
      List<JournalSession> sessions = JournalSession.all(input.journal);
      if (sessions.isEmpty()) {
        throw new IllegalArgumentException("the journal at " + input.journal.toAbsolutePath() + " has no session: nothing to replay");
      }
      if (session == 0 || session > sessions.size()) {
        throw new IllegalArgumentException("--session must be 1.." + sessions.size() + " (the journal at " + input.journal.toAbsolutePath()
            + " holds " + sessions.size() + " sessions), got " + session);
      }
      JournalSession s = sessions.get(session < 0 ? sessions.size() - 1 : session - 1);
      NudaqConfig c = config == null ? JournalReplay.sessionConfig(s) : new ConfigLoader().load(config);
      result = new JournalReplay().replay(input.journal, s, c, from == null ? Long.MIN_VALUE : from.toEpochMilli(),
          to == null ? Long.MAX_VALUE : to.toEpochMilli(), JournalReplay.Pace.parse(pace));
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

  private CompassImport.Options compassOptions(NudaqConfig c) {
    return CompassImport.Options.fromFlags(reactor, reactorTimeline, runStart, c.reactor().thermalPowerMW());
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
