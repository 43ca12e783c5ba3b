package org.nudaq.server.compass;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nudaq.monitor.config.ConfigLoader;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.server.cli.ServerMain;
import org.nudaq.server.pipeline.EventFate;
import org.nudaq.server.pipeline.EventFateSink;
import org.nudaq.server.pipeline.ReactorState;
import org.nudaq.server.reactor.ReactorTransition;
import picocli.CommandLine;

/**
 * A chain of CoMPASS runs whose summed real time passes 2^63 ps (~106.7 days; a live follow of daily runs gets
 * there in four months): the later runs' events must keep their data time (the runs before, summed, plus their
 * time stamp) and be accepted, not LATE. Small files: the first run's run.info says it lasted 109 days.
 */
class CompassLongRunChainTest {
  private static final long MS_PS = 1_000_000_000L;
  private static final long DAY_NS = 86_400_000_000_000L;
  private final NudaqConfig config = new ConfigLoader().load(Path.of("../config/gemma-1.yaml"));

  /** A run folder with ten HPGe records of 10 keV at 1..10 ms and a run.info from {@code start} to {@code stop}. */
  private static Path run(Path dir, String name, String start, String stop) throws Exception {
    Path run = Files.createDirectories(dir.resolve(name));
    List<CompassImportTest.Rec> recs = new ArrayList<>();
    for (int k = 1; k <= 10; k++) {
      recs.add(new CompassImportTest.Rec(0, 0, k * MS_PS, 2000, 0x4000));
    }
    Files.write(run.resolve("Data_CH0@V1725_292_run.BIN"), CompassImportTest.binary2022(0x5, recs, 0));
    Files.writeString(run.resolve("run.info"), "id=" + name + "\ntime.start=" + start + "\ntime.stop=" + stop + "\n");
    return run;
  }

  /** Every event's fate and data time, as "timeNs fate state". */
  private static final class Fates implements EventFateSink {
    final List<String> events = new ArrayList<>();

    @Override public void onEvent(int source, long timeNs, int energyAdc, int flags, ReactorState state, EventFate fate) {
      events.add(timeNs + " " + fate + " " + state);
    }

    @Override public void onUnknownChannel(int boardId, int channel, long timeNs, int energyAdc, int flags) {
      events.add(timeNs + " unknown channel");
    }

    @Override public void onReactorState(long timeNs, ReactorState state, double powerFraction) {
      // the states are read off each event
    }
  }

  @Test
  void eventsOfARunAfter109DaysOfRunsKeepTheirDataTimeAndTheReactorTimelineIsNotLate(@TempDir Path dir) throws Exception {
    run(dir, "run_1", "2026-01-01T00:00:00Z", "2026-04-20T00:00:00Z"); // 31 + 28 + 31 + 19 = 109 days
    run(dir, "run_2", "2026-04-20T00:00:00Z", "2026-04-20T00:00:01Z");
    // OFF from the first run's start, ON 5.5 ms into the second run: 109 days and 5.5 ms of data time.
    List<ReactorTransition> timeline = List.of(
        new ReactorTransition(Instant.parse("2026-01-01T00:00:00Z"), ReactorState.OFF, 0.0, 1),
        new ReactorTransition(Instant.parse("2026-04-20T00:00:00.005500Z"), ReactorState.ON, 1.0, 2));
    Fates fates = new Fates();
    CompassImport.Result r = new CompassImport(config).run(dir, new CompassImport.Options(null, timeline, null), fates);

    List<String> expected = new ArrayList<>();
    for (int k = 1; k <= 10; k++) {
      expected.add(k * 1_000_000L + " ACCEPTED OFF");
    }
    for (int k = 1; k <= 10; k++) {
      // data time by hand: 109 days of the first run, then the time stamp (k ms); ON from 5.5 ms on
      expected.add(109 * DAY_NS + k * 1_000_000L + " ACCEPTED " + (k <= 5 ? "OFF" : "ON"));
    }
    assertThat(fates.events).containsExactlyElementsOf(expected);
    assertThat(r.replay().snapshot().channels().get(0).accepted()).isEqualTo(20);
    assertThat(r.liveTime().realTimeSeconds()).isCloseTo(109 * 86_400.0 + 1.0, within(1e-6));
    assertThat(r.replay().accountingBalances()).isTrue();
  }

  @Test
  void aTimeStampJustBelowTwoToThe63PsIsFedAndTheNextRunFollowsIt(@TempDir Path dir) throws Exception {
    // A time stamp 1 µs below 2^63 ps (~106.75 days into one run), then a run of ten events; no run.info: each
    // run's real time is the span of its time stamps. (2^63 − 1 ps itself is the feed's "no record left".)
    long lastPs = Long.MAX_VALUE - 1_000_000;
    Path first = Files.createDirectories(dir.resolve("run_1"));
    List<CompassImportTest.Rec> recs = new ArrayList<>();
    recs.add(new CompassImportTest.Rec(0, 0, MS_PS, 2000, 0x4000));
    recs.add(new CompassImportTest.Rec(0, 0, lastPs, 2000, 0x4000));
    Files.write(first.resolve("Data_CH0@V1725_292_run.BIN"), CompassImportTest.binary2022(0x5, recs, 0));
    Path second = Files.createDirectories(dir.resolve("run_2"));
    Files.copy(run(dir.resolve("tmp"), "run", "2026-01-01T00:00:00Z", "2026-01-01T00:00:01Z").resolve("Data_CH0@V1725_292_run.BIN"),
        second.resolve("Data_CH0@V1725_292_run.BIN"));
    Fates fates = new Fates();
    CompassImport.Result r = new CompassImport(config).run(dir, new CompassImport.Options(ReactorState.ON, List.of(), null), fates);
    long firstRunNs = lastPs / 1000 + 1; // to just after its last time stamp
    // Data time by hand, in whole 4 ns ticks (gemma-1): floor(ps / 4000) · 4 ns; the second run's at firstRunNs + ts.
    List<String> expected = new ArrayList<>(List.of("1000000 ACCEPTED ON", lastPs / 4000 * 4 + " ACCEPTED ON"));
    for (int k = 1; k <= 10; k++) {
      expected.add((firstRunNs + k * 1_000_000L) / 4 * 4 + " ACCEPTED ON");
    }
    assertThat(fates.events).containsExactlyElementsOf(expected);
    assertThat(r.liveTime().realTimeSeconds()).isCloseTo((firstRunNs + 10_000_001) * 1e-9, within(1e-6));
    assertThat(r.replay().snapshot().detectors().get(0).liveTimeBeforeGatesOnSeconds())
        .as("the live time: both runs, from the status frames").isCloseTo((firstRunNs + 10_000_001) * 1e-9, within(1e-6));
    assertThat(r.replay().accountingBalances()).isTrue();
  }

  @Test
  void aRunWhoseDataTimePassesALongOfNsIsOneLineNamingTheRun(@TempDir Path dir) throws Exception {
    // Two runs of 200 years each (a run.info garbled into centuries): 400 years of ns do not fit a long.
    run(dir, "run_1", "1800-01-01T00:00:00Z", "2000-01-01T00:00:00Z");
    Path second = run(dir, "run_2", "2000-01-01T00:00:00Z", "2200-01-01T00:00:00Z");
    // Day-long quality slices: the pipeline opens every slice up to 200 years (~2 s in minute slices), not the point here.
    Path yaml = dir.resolve("gemma-1.yaml");
    String gemma = Files.readString(Path.of("../config/gemma-1.yaml"));
    assertThat(gemma).contains("qualitySliceSeconds: 60\n");
    Files.writeString(yaml, gemma.replace("qualitySliceSeconds: 60\n", "qualitySliceSeconds: 86400\n"));
    StringWriter err = new StringWriter();
    CommandLine cli = ServerMain.commandLine();
    cli.setErr(new PrintWriter(err, true));
    cli.setOut(new PrintWriter(new StringWriter(), true));
    int code = cli.execute("replay", "--compass", dir.toString(), "--config", yaml.toString(), "--reactor", "on",
        "--out", dir.resolve("out").toString());
    assertThat(code).isEqualTo(2);
    assertThat(err.toString().strip()).isEqualTo("nudaq replay: CoMPASS run " + second + ": its data time overflows (the runs before"
        + " it sum to 73048.0 days, its run.info says 73049.0 days; a long of ns holds 292 years): check its run.info time.start"
        + " and time.stop");
  }

  @Test
  void theTickOfATimeStampOnABaseEqualsTheExactQuotient() {
    SplittableRandom random = new SplittableRandom(20261207);
    long[] tickPs = {4000, 2000, 1, 3, 8000, 16_667, 1_000_000, 999};
    CompassTimeBase[] bases = new CompassTimeBase[tickPs.length]; // one board each: a base fits one tick, not every other
    for (int b = 0; b < tickPs.length; b++) {
      long[] one = new long[b + 1];
      one[b] = tickPs[b];
      bases[b] = new CompassTimeBase(one, new PsToTicks(one));
    }
    for (int round = 0; round < 20_000; round++) {
      // bases from 0 to 292 years (the 1 ps and sub-ns ticks only where their tick count fits), time stamps up to 2^63 ps
      int b = round % tickPs.length;
      long limitNs = tickPs[b] >= 1000 ? Long.MAX_VALUE : Long.MAX_VALUE / 1000 * tickPs[b];
      long offsetNs = round % 5 == 0 ? random.nextLong(1_000_000) : random.nextLong(limitNs) >>> random.nextInt(0, 40);
      long runPs = round % 7 == 0 ? Long.MAX_VALUE - random.nextLong(10_000) : random.nextLong(Long.MAX_VALUE) >>> random.nextInt(0, 63);
      CompassTimeBase base = bases[b];
      base.start(offsetNs);
      BigInteger at = BigInteger.valueOf(offsetNs).multiply(BigInteger.valueOf(1000)).add(BigInteger.valueOf(runPs));
      BigInteger exact = at.divide(BigInteger.valueOf(tickPs[b]));
      if (exact.bitLength() < 63) {
        assertThat(base.ticksOf(b, runPs)).as("tickPs=%d offsetNs=%d runPs=%d", tickPs[b], offsetNs, runPs).isEqualTo(exact.longValueExact());
        assertThat(base.baseTicks(b) * tickPs[b] + base.remPs(b)).as("the base split").isEqualTo(
            BigInteger.valueOf(offsetNs).multiply(BigInteger.valueOf(1000)).longValue());
      }
      long runNs = runPs / 1000;
      BigInteger endExact = BigInteger.valueOf(offsetNs).add(BigInteger.valueOf(runNs)).multiply(BigInteger.valueOf(1000))
          .divide(BigInteger.valueOf(tickPs[b]));
      if (endExact.bitLength() < 63 && offsetNs + runNs >= 0) {
        assertThat(base.ticksOfRunNs(b, runNs)).as("tickPs=%d offsetNs=%d runNs=%d", tickPs[b], offsetNs, runNs)
            .isEqualTo(endExact.longValueExact());
      }
    }
  }

  @Test
  void aPositionLoggedWithThePsBaseResumesAtTheSameBaseInNs() {
    String old = "run=run_3 offsetPs=172800000000000000 widthPs=1000000 lastPs=5 events=7 reactorGiven=0 saved=7 sequence=3 hello=1";
    assertThat(FollowPosition.parse(old, 1).offsetNs).isEqualTo(2 * DAY_NS);
    FollowPosition years = new FollowPosition("run_900", 900 * DAY_NS, 1_000_000, 5, -1, 7, 0, new long[] {7}, new long[] {3},
        new long[] {1}, List.of());
    assertThat(years.format()).contains(" offsetNs=" + 900 * DAY_NS + " ");
    assertThat(FollowPosition.parse(years.format(), 1).offsetNs).isEqualTo(900 * DAY_NS);
  }
}
