package org.nudaq.server.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nudaq.monitor.config.CompassConfig;
import org.nudaq.monitor.config.ConfigLoader;
import org.nudaq.monitor.config.GateConfig;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.server.compass.CompassImport;
import org.nudaq.server.compass.SegmentedCompassImport;
import org.nudaq.server.pipeline.ReactorState;
import org.nudaq.server.reactor.ReactorTransition;

/**
 * One CoMPASS run cut in time over several cores (issue 19) gives the single-threaded import's result
 * bit for bit. The run: two channel files of the 2022 layout (CoMPASS board 0 ch 0 = GEMMA-I's HPGe,
 * ch 1 = its NaI), 2 × 10⁵ HPGe records at 100 kHz over 2 s, every second one with an NaI hit between
 * −1.5 and +2.5 µs (the veto window is −1/+2 µs: windows cover ~15 % of the time, and HPGe events wait
 * in the look-ahead for NaI hits of the next slab at every cut), a burst of 20 000 HPGe records in 40 µs
 * (a slab cut short, as the feed does), NaI noise, pile-up flags; 1-s data-quality
 * slices (cuts inside open slices); a reactor timeline OFF at 0.98 s and ON again at 1.34 s (near the 2-,
 * 3- and 4-core cuts: 1.0; 0.67, 1.33; 0.5, 1.0, 1.5 s).
 */
class SegmentedCompassImportTest {
  private static final long US_PS = 1_000_000L;
  private static final int RECORD_BYTES = 20; // header flags 0x5: energy and energy short
  private static final Instant RUN_START = Instant.parse("2026-03-01T12:00:00Z");

  @TempDir
  Path dir;

  private final NudaqConfig gemma = new ConfigLoader().load(Path.of("../config/gemma-1.yaml"));

  @Test
  void aRunCutOn2To4CoresIsBitIdenticalToOneCoreAndEverySegmentIsJoined() throws Exception {
    NudaqConfig config = withOneSecondSlices(gemma);
    Path run = write(dir.resolve("run"), 200_000, false, 1);
    CompassImport.Options options = timeline();
    CompassImport.Result alone = new CompassImport(config).run(run, options);
    String aloneDigest = SegmentedReplayTest.spectraDigest(alone.replay(), dir.resolve("alone"));
    assertThat(alone.replay().snapshot().totals().received()).isGreaterThan(300_000);
    for (int threads = 2; threads <= 4; threads++) {
      SegmentedCompassImport.Outcome o = replaySameBits(new SegmentedCompassImport(config), run, options, threads, alone, aloneDigest, "cores");
      assertThat(o.segments()).isEqualTo(threads);
      assertThat(o.notes()).as("%d cores", threads).isEmpty(); // every segment joined
    }
  }

  @Test
  void segmentsCutAgainWhileTheyRunGiveTheSameBits() throws Exception {
    // A forced cut (Splitting with 1 segment at the start): segment 1 feeds from the run's start and waits at its
    // first slab boundary until each other thread has asked for its state; each cuts the running segment with the
    // most records left in two (the middle of what it has left, its warm-up counted) and feeds the second part
    // speculatively; a thread whose segment has ended cuts again one with 10 000 records or more left (where and how
    // often then depends on the threads' speed). The joins must give one core's bits wherever the cuts fall.
    NudaqConfig config = withOneSecondSlices(gemma);
    Path run = write(dir.resolve("run"), 200_000, false, 7);
    CompassImport.Options options = timeline();
    CompassImport.Result alone = new CompassImport(config).run(run, options);
    String aloneDigest = SegmentedReplayTest.spectraDigest(alone.replay(), dir.resolve("alone"));
    for (int threads = 2; threads <= 3; threads++) {
      SegmentedCompassImport.Outcome o = replaySameBits(
          new SegmentedCompassImport(config, true, new SegmentedCompassImport.Splitting(1, 10_000)), run, options, threads, alone, aloneDigest, "recut");
      // each thread after the first cut one off; and a thread whose segment ended may cut another (10 000 records left)
      assertThat(o.segments()).as("%d cores", threads).isGreaterThanOrEqualTo(threads);
      assertThat(o.notes()).as("%d cores", threads).isEmpty(); // and every one was joined
    }
    // And the cut of 2 segments at the start, then cut again by a third thread.
    SegmentedCompassImport.Outcome o = replaySameBits(
        new SegmentedCompassImport(config, true, new SegmentedCompassImport.Splitting(2, 10_000)), run, options, 3, alone, aloneDigest, "recut-2");
    assertThat(o.segments()).isGreaterThanOrEqualTo(3);
    assertThat(o.notes()).isEmpty();
  }

  @Test
  void aForcedCutThatIsNeverMadeDoesNotHoldSegmentOne() throws Exception {
    // Splitting(1, ...) owes each thread after the first a cut; where none is made (never cut again; too few records to
    // cut) segment 1 must not wait for one at its slab boundaries (it did, for ever).
    NudaqConfig config = withOneSecondSlices(gemma);
    Path run = write(dir.resolve("run"), 100_000, false, 8);
    CompassImport.Options options = timeline();
    CompassImport.Result alone = new CompassImport(config).run(run, options);
    SegmentedCompassImport.Outcome o = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60),
        () -> new SegmentedCompassImport(config, true, new SegmentedCompassImport.Splitting(1, Long.MAX_VALUE)).run(run, options, 2));
    assertThat(o.segments()).isEqualTo(1);
    assertSameImport(o.result(), alone);
    Path small = write(dir.resolve("small"), 1_000, false, 9);
    SegmentedCompassImport.Outcome few = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60),
        () -> new SegmentedCompassImport(gemma, true, new SegmentedCompassImport.Splitting(1, 10_000)).run(small, CompassImport.Options.NONE, 2));
    assertThat(few.notes()).singleElement().asString().contains("too few");
    assertSameImport(few.result(), new CompassImport(gemma).run(small, CompassImport.Options.NONE));
  }

  @Test
  void aFileEndingEarlyInTheFeedIsCutAgainWithTheSameBits() throws Exception {
    // A time stamp of 2^63 - 1 ps at 30 % of the HPGe file: the feed rejects it and reads no more of the file (a
    // format error), while the grid's search still counts its records: cuts again aim past where the feed ends and
    // cannot be made; the thread must give that segment up (not ask it for its state at every slab to its end).
    NudaqConfig config = withOneSecondSlices(gemma);
    Path run = write(dir.resolve("run"), 200_000, false, 10);
    Path ge = run.resolve("Data_CH0@V1725_0_run.BIN");
    try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(ge, java.nio.file.StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, Long.MAX_VALUE), 2 + 60_000L * RECORD_BYTES + 4);
    }
    CompassImport.Options options = timeline();
    CompassImport.Result alone = new CompassImport(config).run(run, options);
    assertThat(alone.files().get(0).error()).isNotNull();
    assertThat(alone.files().get(0).records()).isLessThan(200_000);
    String aloneDigest = SegmentedReplayTest.spectraDigest(alone.replay(), dir.resolve("alone"));
    for (int threads = 2; threads <= 3; threads++) {
      replaySameBits(new SegmentedCompassImport(config, true, new SegmentedCompassImport.Splitting(1, 10_000)), run, options, threads, alone,
          aloneDigest, "early");
    }
  }

  @Test
  void fakeAndUnmappedRecordsBeforeACutMakeTheSegmentReplayAgainWithTheSameBits() throws Exception {
    // A dead-time model: the live time depends on the saved events before the cut, which a speculative
    // segment can only guess (every record of its file); the fake and unmapped records make the guess
    // wrong, so the segments after the first are fed again from the true state. (301 ns = 75.25 ticks per
    // event: a wrong count also changes the rounding of the dead time's steps, so a join that did not
    // check the counts would give other live-time bits.)
    NudaqConfig config = withOneSecondSlices(gemma);
    CompassConfig c = config.compass();
    config = config.withCompass(new CompassConfig(c.channels(), 301, c.stream(), c.follow()));
    Path run = write(dir.resolve("run"), 150_000, true, 2);
    CompassImport.Options options = timeline();
    CompassImport.Result alone = new CompassImport(config).run(run, options);
    assertThat(alone.files().get(0).fake()).isPositive();
    assertThat(alone.files().get(1).fake()).isPositive();
    assertThat(alone.files().get(1).unmapped()).isPositive();
    SegmentedCompassImport.Outcome o = replaySameBits(new SegmentedCompassImport(config), run, options, 3, alone,
        SegmentedReplayTest.spectraDigest(alone.replay(), dir.resolve("alone")), "cores");
    assertThat(o.notes()).hasSize(2).allSatisfy(n -> assertThat(n).contains("replayed again").contains("saved events"));
  }

  @Test
  void aTruncatedLastRecordIsReportedOnceAsByOneCore() throws Exception {
    NudaqConfig config = withOneSecondSlices(gemma);
    Path run = write(dir.resolve("run"), 150_000, false, 3);
    Path nai = run.resolve("Data_CH1@V1725_0_run.BIN");
    Files.write(nai, new byte[] {1, 2, 3, 4, 5, 6, 7}, java.nio.file.StandardOpenOption.APPEND);
    CompassImport.Options options = new CompassImport.Options(ReactorState.ON, List.of(), null);
    CompassImport.Result alone = new CompassImport(config).run(run, options);
    assertThat(alone.files().get(1).error()).contains("truncated");
    assertThat(replaySameBits(new SegmentedCompassImport(config), run, options, 2, alone, null, "cores").notes()).isEmpty();
  }

  @Test
  void channelsSplitInPartsAreCutLikeOneFileWithTheSameBits() throws Exception {
    // CoMPASS splits a channel's file at its size limit: X.BIN (with the header), X_1.BIN, X_2.BIN
    // (without). The NaI's part 1 ends in a truncated record: its error ends the part, the next is read.
    NudaqConfig config = withOneSecondSlices(gemma);
    Path run = write(dir.resolve("run"), 150_000, false, 6);
    split(run.resolve("Data_CH0@V1725_0_run.BIN"), 70_000, 50_000, false);
    split(run.resolve("Data_CH1@V1725_0_run.BIN"), 30_000, 60_000, true);
    CompassImport.Options options = timeline();
    CompassImport.Result alone = new CompassImport(config).run(run, options);
    assertThat(alone.files()).hasSize(2);
    assertThat(alone.files().get(1).error()).contains("Data_CH1@V1725_0_run_1.BIN").contains("truncated");
    for (int threads = 2; threads <= 4; threads++) {
      SegmentedCompassImport.Outcome o = replaySameBits(new SegmentedCompassImport(config), run, options, threads, alone, null, "cores");
      assertThat(o.segments()).isEqualTo(threads);
      assertThat(o.notes()).as("%d cores", threads).isEmpty();
    }
  }

  /**
   * Splits a 2022 file into itself (header and {@code first} records), _1 ({@code second} records, and
   * the first 11 bytes of the next one with {@code truncatePart1}) and _2 (the rest), no header in the parts.
   */
  private static void split(Path file, int first, int second, boolean truncatePart1) throws IOException {
    byte[] all = Files.readAllBytes(file);
    int a = 2 + first * RECORD_BYTES;
    int b = a + second * RECORD_BYTES;
    String name = file.getFileName().toString().replace(".BIN", "");
    Files.write(file, Arrays.copyOfRange(all, 0, a));
    byte[] part1 = Arrays.copyOfRange(all, a, b + (truncatePart1 ? 11 : 0)); // 11 bytes of a record more: truncated
    Files.write(file.resolveSibling(name + "_1.BIN"), part1);
    Files.write(file.resolveSibling(name + "_2.BIN"), Arrays.copyOfRange(all, b, all.length));
  }

  @Test
  void whatCannotBeCutStaysOnOneCoreAndSaysWhy() throws Exception {
    Path run = write(dir.resolve("small"), 1_000, false, 4);
    SegmentedCompassImport.Outcome o = new SegmentedCompassImport(gemma).run(run, CompassImport.Options.NONE, 2);
    assertThat(o.segments()).isEqualTo(1);
    assertThat(o.notes()).singleElement().asString().startsWith("replay: one core: ").contains("too few");
    assertSameImport(o.result(), new CompassImport(gemma).run(run, CompassImport.Options.NONE));

    Path csv = Files.createDirectories(dir.resolve("csv"));
    Files.writeString(csv.resolve("Data_CH0@V1725_0_run.CSV"), "BOARD;CHANNEL;TIMETAG;ENERGY;ENERGYSHORT;FLAGS\n0;0;1000000;2000;1000;0x4000\n");
    o = new SegmentedCompassImport(gemma).run(csv, CompassImport.Options.NONE, 2);
    assertThat(o.notes()).singleElement().asString().contains("CSV");
    assertThat(o.result().replay().events()).isEqualTo(1);
  }

  @Test
  void theCommandLineWritesTheSameFilesOnOneAndOnThreeCores() throws Exception {
    Path run = write(dir.resolve("run"), 150_000, false, 5);
    Path config = dir.resolve("slices.yaml");
    Files.writeString(config, Files.readString(Path.of("../config/gemma-1.yaml")).replaceFirst("(?m)^(  qualitySliceSeconds:) *[0-9]+", "$1 1"));
    assertThat(Files.readString(config)).containsPattern("(?m)^  qualitySliceSeconds: 1( |$)");
    Path plant = dir.resolve("plant.csv");
    Files.writeString(plant, "time,state,power\n2026-03-01T11:00:00Z,ON,100%\n2026-03-01T12:00:00.74Z,OFF,\n");
    java.util.Map<Integer, String> stderr = new java.util.HashMap<>();
    for (int threads : new int[] {1, 3}) {
      java.io.StringWriter err = new java.io.StringWriter();
      picocli.CommandLine cli = org.nudaq.server.cli.ServerMain.commandLine();
      cli.setOut(new java.io.PrintWriter(new java.io.StringWriter(), true));
      cli.setErr(new java.io.PrintWriter(err, true));
      java.io.PrintStream oldErr = System.err;
      java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
      System.setErr(new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8));
      int code;
      try {
        code = cli.execute("replay", "--compass", run.toString(), "--config", config.toString(), "--reactor-timeline", plant.toString(),
            "--run-start", RUN_START.toString(), "--threads", Integer.toString(threads), "--out", dir.resolve("out-" + threads).toString());
      } finally {
        System.setErr(oldErr);
      }
      assertThat(code).as("%s", err).isZero();
      stderr.put(threads, bytes.toString(java.nio.charset.StandardCharsets.UTF_8) + err);
    }
    assertThat(stderr.get(3)).contains("replay: 3 segments on 3 threads; CPU s per segment (first replay): ").contains("; set-up, first cut, joins and segments fed again: ").doesNotContain("replayed again").doesNotContain("one core");
    assertThat(stderr.get(1)).contains("replay: 1 segment on 1 thread; ");
    List<Path> one;
    try (var files = Files.walk(dir.resolve("out-1"))) {
      one = files.filter(Files::isRegularFile).map(dir.resolve("out-1")::relativize).sorted().toList();
    }
    assertThat(one).contains(Path.of("replay-summary.json"), Path.of("spectra/hpge-1-on-after-gates.json"),
        Path.of("spectra/hpge-1-off-after-gates.json"));
    for (Path f : one) {
      String a = Files.readString(dir.resolve("out-1").resolve(f));
      String b = Files.readString(dir.resolve("out-3").resolve(f));
      if (f.toString().equals("replay-summary.json")) { // but for when it ran and how fast
        a = a.replaceAll("\"(startedAt|stoppedAt|elapsedSeconds|eventsPerSecond)\" : [^,\n]*", "");
        b = b.replaceAll("\"(startedAt|stoppedAt|elapsedSeconds|eventsPerSecond)\" : [^,\n]*", "");
      }
      assertThat(b).as("%s", f).isEqualTo(a);
    }
  }

  /** Everything an import reports: snapshot (bits), files, live-time estimate, reactor source. */
  /**
   * Replays {@code run} with {@code segmented} on {@code threads} cores (at most 60 s: a hang fails the test) and asserts
   * one core's import {@code alone}, and its spectra's digest {@code aloneDigest} unless null (written under
   * {@code name-threads}); returns the outcome for the caller's checks of its segments and notes.
   */
  private SegmentedCompassImport.Outcome replaySameBits(SegmentedCompassImport segmented, Path run, CompassImport.Options options, int threads,
      CompassImport.Result alone, String aloneDigest, String name) throws Exception {
    SegmentedCompassImport.Outcome o = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60),
        () -> segmented.run(run, options, threads));
    assertSameImport(o.result(), alone);
    if (aloneDigest != null) {
      assertThat(SegmentedReplayTest.spectraDigest(o.result().replay(), dir.resolve(name + "-" + threads))).isEqualTo(aloneDigest);
    }
    return o;
  }

  private static void assertSameImport(CompassImport.Result segmented, CompassImport.Result alone) {
    SegmentedReplayTest.assertSame(segmented.replay(), alone.replay());
    assertThat(segmented.files()).isEqualTo(alone.files());
    assertThat(segmented.liveTime()).isEqualTo(alone.liveTime());
    assertThat(Double.doubleToRawLongBits(segmented.liveTime().realTimeSeconds()))
        .isEqualTo(Double.doubleToRawLongBits(alone.liveTime().realTimeSeconds()));
    assertThat(segmented.reactorSource()).isEqualTo(alone.reactorSource());
  }

  private static NudaqConfig withOneSecondSlices(NudaqConfig c) {
    GateConfig g = c.gates();
    return c.withGates(new GateConfig(g.rejectPileup(), g.rejectSaturated(), g.reactorStateSource(), g.reactorMarginSeconds(), 1,
        g.qualityBandHighKeV(), g.qualityMaxRatio(), g.mergeIdleTimeoutSeconds()));
  }

  private static CompassImport.Options timeline() {
    return new CompassImport.Options(null, List.of(
        new ReactorTransition(RUN_START.minusSeconds(3600), ReactorState.ON, 1.0, 1),
        new ReactorTransition(RUN_START.plusMillis(980), ReactorState.OFF, 0.0, 2),
        new ReactorTransition(RUN_START.plusMillis(1340), ReactorState.ON, 1.0, 3)), RUN_START);
  }

  /**
   * A run folder: {@code n} HPGe records at 100 kHz (with a burst), NaI partners for every second one, 0.3 n NaI noise
   * records; with {@code dirty}, 1 % of the HPGe and of the NaI records fake and 0.5 % of the NaI file's of an
   * unmapped channel.
   */
  private static Path write(Path run, int n, boolean dirty, long seed) throws IOException {
    Files.createDirectories(run);
    Random rnd = new Random(seed);
    long[] ge = new long[n];
    int[] geE = new int[n];
    int[] geF = new int[n];
    long[] nai = new long[n / 2 + 3 * n / 10];
    int m = 0;
    long t = 10 * US_PS;
    for (int i = 0; i < n; i++) {
      // A burst of 20 000 HPGe records 2 ns apart after the first fifth: more than a slab may take of one
      // file (CompassFeed.SLAB_FILE_MAX_RECORDS), so the slab ends early there, before every cut.
      boolean burst = i >= n / 5 && i < n / 5 + 20_000;
      t += burst ? 2_000 : 1 + (long) (-Math.log(1 - rnd.nextDouble()) * 10 * US_PS);
      ge[i] = t;
      geE[i] = 10 + rnd.nextInt(16_000);
      int r = rnd.nextInt(100);
      geF[i] = r == 0 ? 0x8000 : dirty && r == 1 ? 0x8 : 0x4000;
      if (i % 2 == 0) {
        nai[m++] = Math.max(0, t + (long) ((rnd.nextDouble() * 4 - 1.5) * US_PS));
      }
    }
    while (m < nai.length) {
      nai[m++] = (long) (rnd.nextDouble() * t);
    }
    Arrays.sort(nai);
    int[] naiE = new int[nai.length];
    int[] naiF = new int[nai.length];
    int[] naiCh = new int[nai.length];
    for (int i = 0; i < nai.length; i++) {
      naiE[i] = 10 + rnd.nextInt(2_000);
      int r = rnd.nextInt(1000);
      naiF[i] = dirty && r < 10 ? 0x8 : 0;
      naiCh[i] = dirty && r >= 10 && r < 15 ? 5 : 1;
    }
    int[] zeros = new int[n];
    writeFile(run.resolve("Data_CH0@V1725_0_run.BIN"), zeros, ge, geE, geF);
    writeFile(run.resolve("Data_CH1@V1725_0_run.BIN"), naiCh, nai, naiE, naiF);
    return run;
  }

  /** The 2022 layout with header flags 0x5: board, channel, time stamp (ps), energy, energy short, flags. */
  private static void writeFile(Path file, int[] channel, long[] ps, int[] energy, int[] flags) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(2 + ps.length * RECORD_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    b.putShort((short) 0xCAE5);
    for (int i = 0; i < ps.length; i++) {
      b.putShort((short) 0).putShort((short) channel[i]).putLong(ps[i]).putShort((short) energy[i]).putShort((short) (energy[i] / 2))
          .putInt(flags[i]);
    }
    Files.write(file, b.array());
  }
}
