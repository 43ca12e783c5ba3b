package org.nudaq.server.compass;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nudaq.monitor.config.BoardConfig;
import org.nudaq.monitor.config.ConfigLoader;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.server.pipeline.EventFate;
import org.nudaq.server.pipeline.EventFateSink;
import org.nudaq.server.pipeline.EventPipeline;
import org.nudaq.server.pipeline.PipelineStates;
import org.nudaq.server.pipeline.ReactorState;
import org.nudaq.server.pipeline.RejectReason;

/**
 * The CoMPASS import's run entry (issue 19: a board frame's events given as columns,
 * {@link CompassInputs#onBoardFrameEvents}, offered to the merge a run of one channel at a time) leaves
 * the pipeline in exactly the state one {@code onBoardFrameEvent} per record leaves it in (the default
 * of {@link CompassInputs}, which the live follow's frames use): the complete pipeline state
 * ({@link PipelineStates}, the merge's rings in order included) is compared after every call that gives
 * events, the fate of every event in the order decided, and the final snapshot.
 *
 * <p>The inputs are made to reach every fallback of the run path: three boards (ticks of 4 and 8 ns, and
 * 2.5 ns, which no run takes); records with CoMPASS's rare flags (time-stamp roll-over and reset: ours
 * are rare; fake, lost-trigger and 1024-triggers flags, which the feed counts); records of unmapped
 * channels and boards inside the files; time stamps that jump back within a file (late events);
 * bursts that cut a slab short (a file's later records reach the merge after another file's); a
 * headerless file (records one at a time) beside 2022 files (in bulk); merge rings of 16 events (full
 * rings: forced emits); two CoMPASS runs in a row; and the same files with a configuration of one board
 * (GEMMA-I: the records of the other boards unmapped).
 */
class CompassRunPathTest {
  private static final long US_PS = 1_000_000L;

  @TempDir
  Path dir;

  /** GEMMA-I plus a board 1 (tick 8 ns) and a board 2 (tick 2.5 ns) with an NaI channel each, mapped from CoMPASS boards 1 and 2. */
  private NudaqConfig threeBoards() throws Exception {
    String yaml = Files.readString(Path.of("../config/gemma-1.yaml"));
    String board0 = "        - {channel: 1, role: nai, detector: nai-shield, calibration: [0.0, 0.2]}\n";
    assertThat(yaml).contains(board0);
    yaml = yaml.replace(board0, board0
        + "    - id: 1\n      host: 127.0.0.1\n      port: 9402\n      tickNs: 8\n      adcBits: 16\n      channels:\n"
        + "        - {channel: 0, role: nai, detector: nai-shield, calibration: [0.0, 0.2]}\n"
        + "    - id: 2\n      host: 127.0.0.1\n      port: 9403\n      tickNs: 2.5\n      adcBits: 16\n      channels:\n"
        + "        - {channel: 3, role: nai, detector: nai-shield, calibration: [0.0, 0.2]}\n");
    String mapping = "    - {board: 0, channel: 1, toBoard: 0, toChannel: 1}\n";
    assertThat(yaml).contains(mapping);
    yaml = yaml.replace(mapping, mapping + "    - {board: 1, channel: 0, toBoard: 1, toChannel: 0}\n"
        + "    - {board: 2, channel: 2, toBoard: 2, toChannel: 3}\n");
    Path file = dir.resolve("three-boards.yaml");
    Files.writeString(file, yaml);
    NudaqConfig config = new ConfigLoader().load(file);
    assertThat(config.digitizer().boards()).hasSize(3);
    return config;
  }

  @Test
  void theRunPathLeavesThePipelineInTheStateOfOneCallPerRecord() throws Exception {
    List<Path> runs = List.of(writeRun(dir.resolve("run1"), 1), writeRun(dir.resolve("run2"), 2));
    sameStates(threeBoards(), runs, new int[] {16, EventPipeline.DEFAULT_MERGE_CAPACITY});
  }

  @Test
  void withOneBoardTheOtherBoardsRecordsAreUnmappedAndTheStatesStillEqual() throws Exception {
    NudaqConfig gemma = new ConfigLoader().load(Path.of("../config/gemma-1.yaml"));
    assertThat(gemma.digitizer().boards()).hasSize(1);
    sameStates(gemma, List.of(writeRun(dir.resolve("run1"), 3), writeRun(dir.resolve("run2"), 4)), new int[] {16});
  }

  private static void sameStates(NudaqConfig config, List<Path> runs, int[] mergeCapacities) throws Exception {
    for (int mergeCapacity : mergeCapacities) {
      Fed perRecord = feed(config, runs, mergeCapacity, false);
      Fed runPath = feed(config, runs, mergeCapacity, true);
      assertThat(runPath.calls).as("merge capacity %d", mergeCapacity).isEqualTo(perRecord.calls);
      assertThat(perRecord.calls).isGreaterThan(100);
      assertThat(runPath.states).as("merge capacity %d: state after each call (first difference)", mergeCapacity)
          .isEqualTo(perRecord.states);
      assertThat(runPath.fates).as("merge capacity %d: fates in order", mergeCapacity).isEqualTo(perRecord.fates);
      assertThat(runPath.snapshot).isEqualTo(perRecord.snapshot);
      // The inputs reach what they are meant to reach.
      EventPipeline p = runPath.pipeline;
      assertThat(p.received()).isGreaterThan(40_000);
      assertThat(p.rejected(RejectReason.LATE)).as("late events").isPositive();
      assertThat(p.rejected(RejectReason.PILEUP)).as("pile-up").isPositive();
      assertThat(p.vetoed()).as("vetoed").isPositive();
      assertThat(p.accepted()).as("accepted").isPositive();
      assertThat(runPath.unknownChannelFates).as("records of unmapped channels never reach the pipeline").isZero();
      if (mergeCapacity == 16) {
        assertThat(p.forcedEmits()).as("full rings").isPositive();
      }
    }
  }

  /** What one feed of the runs gave: the state digests after each call that gives events, the fates, the final snapshot. */
  private record Fed(EventPipeline pipeline, int calls, List<String> states, List<String> fates, String snapshot,
      long unknownChannelFates) {}

  private static Fed feed(NudaqConfig config, List<Path> runs, int mergeCapacity, boolean runPath) throws Exception {
    CompassImport.Options options = new CompassImport.Options(ReactorState.ON, List.of(), Instant.parse("2026-03-01T12:00:00Z"));
    ReactorSchedule schedule = ReactorSchedule.of(options, CompassRunInfo.of(runs.get(0)));
    NudaqConfig pipelineConfig = CompassImport.pipelineConfig(config, true);
    // Two pipelines fed alike: one with small rings whose state is compared, one that tells the fates.
    EventPipeline pipeline = new EventPipeline(pipelineConfig, mergeCapacity, EventPipeline.DEFAULT_LOOKAHEAD_CAPACITY);
    List<String> fates = new ArrayList<>();
    long[] unknown = new long[1];
    EventPipeline told = new EventPipeline(pipelineConfig, new EventFateSink() {
      @Override public void onEvent(int source, long timeNs, int energyAdc, int flags, ReactorState state, EventFate fate) {
        fates.add(source + "/" + timeNs + "/" + energyAdc + "/" + flags + "/" + state + "/" + fate);
      }

      @Override public void onUnknownChannel(int boardId, int channel, long timeNs, int energyAdc, int flags) {
        unknown[0]++;
      }

      @Override public void onReactorState(long timeNs, ReactorState state, double powerFraction) {
        fates.add("reactor/" + timeNs + "/" + state + "/" + powerFraction);
      }
    });
    for (EventPipeline p : List.of(pipeline, told)) {
      for (BoardConfig b : config.digitizer().boards()) {
        p.onHello(b.id(), Math.round(b.tickNs() * 1000));
      }
    }
    List<String> states = new ArrayList<>();
    CompassInputs both = new Both(CompassInputs.of(pipeline), CompassInputs.of(told), runPath, () -> states.add(digest(pipeline)));
    CompassFeed feed = new CompassFeed(config, both, schedule);
    long offsetNs = 0;
    for (Path run : runs) {
      CompassFileChain[] sources = CompassFileChain.ofRun(run);
      try {
        feed.startRun(sources, offsetNs, CompassFeed.INITIAL_SLAB_PS, -1);
        while (feed.slab()) {
          states.add(digest(pipeline));
        }
        offsetNs = feed.nextOffsetNs(feed.finishRun(CompassRunInfo.of(run)));
      } finally {
        for (CompassFileChain c : sources) {
          c.close();
        }
      }
      assertThat(feed.unmapped(0) + feed.unmapped(1) + feed.unmapped(2) + feed.unmapped(3)).as("unmapped records").isPositive();
      assertThat(feed.fake(0) + feed.fake(1)).as("fake records").isPositive();
    }
    assertThat(feed.saved()).as("saved events per compass.channels entry: the records of its CoMPASS channel, less the fake ones")
        .isEqualTo(savedByRecord(config, runs));
    pipeline.finish();
    told.finish();
    states.add(digest(pipeline));
    String snapshot = pipeline.publish(Instant.EPOCH).totals() + "\n" + pipeline.publish(Instant.EPOCH).channels();
    return new Fed(pipeline, ((Both) both).calls, states, fates, snapshot, unknown[0]);
  }

  /** The saved events per compass.channels entry, counted reading the runs' files record by record. */
  private static long[] savedByRecord(NudaqConfig config, List<Path> runs) throws Exception {
    List<org.nudaq.monitor.config.CompassConfig.ChannelMapping> mappings = config.compass().channels();
    long[] saved = new long[mappings.size()];
    for (Path run : runs) {
      for (List<Path> chain : CompassFileChain.chains(CompassImport.listFiles(run))) {
        try (CompassFileChain source = new CompassFileChain(chain)) {
          while (source.next()) {
            for (int k = 0; k < mappings.size(); k++) {
              if (mappings.get(k).board() == source.board() && mappings.get(k).channel() == source.channel()
                  && (source.flags() & CompassDescriptor.FAKE_MASK) == 0) {
                saved[k]++;
              }
            }
          }
        }
      }
    }
    return saved;
  }

  private static String digest(EventPipeline pipeline) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(PipelineStates.of(pipeline))).substring(0, 16);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Gives every call to two pipelines' inputs; {@code runPath} false: the events one call each (the
   * interface's default). After each call that gives events, {@code after} runs.
   */
  private static final class Both implements CompassInputs {
    private final CompassInputs a;
    private final CompassInputs b;
    private final boolean runPath;
    private final Runnable after;
    int calls;

    Both(CompassInputs a, CompassInputs b, boolean runPath, Runnable after) {
      this.a = a;
      this.b = b;
      this.runPath = runPath;
      this.after = after;
    }

    @Override public void beginBoardFrame(int boardId) {
      a.beginBoardFrame(boardId);
      b.beginBoardFrame(boardId);
    }

    @Override public void onBoardFrameEvent(int channel, long timestampTicks, int energyAdc, int flags, int lostTriggersBefore) {
      a.onBoardFrameEvent(channel, timestampTicks, energyAdc, flags, lostTriggersBefore);
      b.onBoardFrameEvent(channel, timestampTicks, energyAdc, flags, lostTriggersBefore);
    }

    @Override public void onBoardFrameEvents(int[] channel, long[] timestampTicks, long[] payload, int count) {
      if (runPath) {
        a.onBoardFrameEvents(channel, timestampTicks, payload, count);
        b.onBoardFrameEvents(channel, timestampTicks, payload, count);
      } else {
        CompassInputs.super.onBoardFrameEvents(channel, timestampTicks, payload, count);
      }
      calls++;
      after.run();
    }

    @Override public void endBatch() {
      a.endBatch();
      b.endBatch();
    }

    @Override public void onStatusBegin(int boardId, long boardTimeTicks, long realTimeTicks, int reactorState) {
      a.onStatusBegin(boardId, boardTimeTicks, realTimeTicks, reactorState);
      b.onStatusBegin(boardId, boardTimeTicks, realTimeTicks, reactorState);
    }

    @Override public void onStatusChannel(int boardId, int channel, long liveTicks, long deadTicks, long acceptedTriggers,
        long lostTriggers) {
      a.onStatusChannel(boardId, channel, liveTicks, deadTicks, acceptedTriggers, lostTriggers);
      b.onStatusChannel(boardId, channel, liveTicks, deadTicks, acceptedTriggers, lostTriggers);
    }

    @Override public void onStatusEnd(int boardId) {
      a.onStatusEnd(boardId);
      b.onStatusEnd(boardId);
    }

    @Override public void setReactorState(ReactorState state, double powerFraction, long effectiveTimeNs) {
      a.setReactorState(state, powerFraction, effectiveTimeNs);
      b.setReactorState(state, powerFraction, effectiveTimeNs);
    }
  }

  // --- the inputs ------------------------------------------------------------------------------

  /**
   * One CoMPASS run folder: HPGe (board 0 ch 0) and NaI (board 0 ch 1) of the 2022 layout, board 1's
   * NaI headerless, board 2's NaI of the 2022 layout; over ~0.2 s.
   */
  private static Path writeRun(Path run, long seed) throws Exception {
    Files.createDirectories(run);
    SplittableRandom random = new SplittableRandom(seed);
    Files.write(run.resolve("Data_CH0@V1725_0_run.BIN"), binary2022(records(random, 0, 0, 8_000, 17_000, 8 * US_PS, 0x8000)));
    Files.write(run.resolve("Data_CH1@V1725_0_run.BIN"), binary2022(records(random, 0, 1, 4_000, 0, 16 * US_PS, 0)));
    Files.write(run.resolve("Data_CH0@V1725_1_run.BIN"), headerless(records(random, 1, 0, 200, 0, 300 * US_PS, 0)));
    Files.write(run.resolve("Data_CH2@V1725_2_run.BIN"), binary2022(records(random, 2, 2, 1_500, 0, 40 * US_PS, 0)));
    return run;
  }

  /**
   * {@code n} records of one channel, mean gap {@code gapPs}, and a third of the way in a burst of
   * {@code burst} records ~1 ns apart (more than {@link CompassFeed#SLAB_FILE_MAX_RECORDS}: the slab is
   * cut short): energies over the whole ADC range (a few NaI muons), {@code flag} on every fifth; rare
   * CoMPASS flags, unmapped channels and boards and backward jumps sprinkled in.
   */
  private static List<CompassImportTest.Rec> records(SplittableRandom random, int board, int channel, int n, int burst, long gapPs,
      int flag) {
    List<CompassImportTest.Rec> out = new ArrayList<>(n + burst);
    long ts = random.nextLong(gapPs);
    int burstAt = n / 3;
    for (int i = 0; i < n + burst; i++) {
      ts += i >= burstAt && i < burstAt + burst ? 1 + random.nextLong(2_000) : 1 + random.nextLong(2 * gapPs);
      int energy = random.nextInt(500) == 0 ? 60_000 : random.nextInt(20_000);
      int flags = i % 5 == 0 ? flag : 0;
      int u = random.nextInt(400);
      if (u == 0) {
        flags |= CompassDescriptor.FLAG_TIMESTAMP_ROLLOVER;
      } else if (u == 1) {
        flags |= CompassDescriptor.FLAG_TIMESTAMP_RESET;
      } else if (u == 2) {
        flags |= CompassDescriptor.FLAG_FAKE;
      } else if (u == 3) {
        flags |= CompassDescriptor.FLAG_TRIGGER_LOST | CompassDescriptor.FLAG_TRIGGERS_1024;
      } else if (u == 4) {
        flags |= CompassDescriptor.FLAG_SATURATION;
      }
      int b = board;
      int c = channel;
      int w = random.nextInt(300);
      if (w == 0) {
        c = 7; // a channel not in compass.channels
      } else if (w == 1) {
        b = 300; // a board beyond the map
      }
      long at = ts;
      if (random.nextInt(1_000) == 0) {
        at = Math.max(0, ts - 30_000 * US_PS); // 30 ms back: late
      }
      out.add(new CompassImportTest.Rec(b, c, at, energy, flags));
    }
    return out;
  }

  private static byte[] binary2022(List<CompassImportTest.Rec> recs) {
    return CompassImportTest.binary2022(0x5, recs, 0); // energy and energy short: 20-byte records
  }

  private static byte[] headerless(List<CompassImportTest.Rec> recs) {
    return CompassImportTest.headerless(recs, 0);
  }
}
