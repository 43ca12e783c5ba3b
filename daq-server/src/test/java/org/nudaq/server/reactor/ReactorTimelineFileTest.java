package org.nudaq.server.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nudaq.server.pipeline.ReactorState;

/** The reactor timeline CSV: the documented example, every power notation, bad lines, a growing file. */
class ReactorTimelineFileTest {
  private static final double NOMINAL_MW = 3000;

  @Test
  void readsTheDocumentedExampleWithEveryPowerNotation(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("plant.csv");
    Files.writeString(f, """
        # plant log, unit 3
        time,state,power
        2026-03-01T00:00:00Z,ON,100%
        2026-03-12T06:00:00Z,ON,2790MW

        2026-03-12T08:00:00+01:00,on,0.5
        2026-03-12T09:00:00Z,OFF,
        2026-04-11T00:00:00Z,UNKNOWN,
        2026-04-12T00:00:00Z,ON,""");
    List<ReactorTransition> t = ReactorTimelineFile.readAll(f, NOMINAL_MW);
    assertThat(t).extracting(ReactorTransition::state).containsExactly(ReactorState.ON, ReactorState.ON, ReactorState.ON,
        ReactorState.OFF, ReactorState.UNKNOWN, ReactorState.ON);
    assertThat(t).extracting(ReactorTransition::powerFraction).containsExactly(1.0, 2790.0 / 3000, 0.5, 0.0, 0.0, 1.0);
    assertThat(t.get(2).at()).isEqualTo(Instant.parse("2026-03-12T07:00:00Z")); // 08:00+01:00
    assertThat(t.get(2).line()).isEqualTo(6);
  }

  @Test
  void aByteOrderMarkAndWindowsLineEndsAreRead(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("export.csv");
    Files.writeString(f, "\uFEFFtime,state,power\r\n2026-03-01T00:00:00Z,ON,99%\r\n");
    assertThat(ReactorTimelineFile.readAll(f, NOMINAL_MW)).extracting(ReactorTransition::powerFraction).containsExactly(0.99);
  }

  @Test
  void anUnknownStateIsAOneLineErrorNamingFileAndLine(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("plant.csv");
    Files.writeString(f, "time,state,power\n2026-03-01T00:00:00Z,ON,100%\n2026-03-02T00:00:00Z,SCRAM,0%\n");
    assertThatThrownBy(() -> ReactorTimelineFile.readAll(f, NOMINAL_MW))
        .isInstanceOf(ReactorTimelineException.class)
        .hasMessage("reactor timeline " + f + " line 3: unknown state 'SCRAM' (ON, OFF or UNKNOWN)");
  }

  @Test
  void timesOutOfOrderAreAnErrorNamingFileAndLine(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("plant.csv");
    Files.writeString(f, "time,state,power\n2026-03-02T00:00:00Z,ON,\n2026-03-01T00:00:00Z,OFF,\n");
    assertThatThrownBy(() -> ReactorTimelineFile.readAll(f, NOMINAL_MW))
        .hasMessageStartingWith("reactor timeline " + f + " line 3: time 2026-03-01T00:00:00Z is not after")
        .hasMessageNotContaining("\n");
    Files.writeString(f, "time,state,power\n2026-03-02T00:00:00Z,ON,\n2026-03-02T00:00:00Z,OFF,\n");
    assertThatThrownBy(() -> ReactorTimelineFile.readAll(f, NOMINAL_MW)).hasMessageContaining("line 3: time");
  }

  @Test
  void badPowerTimeAndHeaderAreNamed(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("plant.csv");
    Files.writeString(f, "time,state,power\n2026-03-01T00:00:00Z,ON,lots\n");
    assertThatThrownBy(() -> ReactorTimelineFile.readAll(f, NOMINAL_MW)).hasMessageContaining("line 2: power 'lots'");
    Files.writeString(f, "time,state,power\n2026-03-01 00:00,ON,\n");
    assertThatThrownBy(() -> ReactorTimelineFile.readAll(f, NOMINAL_MW)).hasMessageContaining("line 2: time '2026-03-01 00:00'");
    Files.writeString(f, "when,what\n");
    assertThatThrownBy(() -> ReactorTimelineFile.readAll(f, NOMINAL_MW)).hasMessageContaining("line 1: expected the header");
    Files.writeString(f, "time,state,power\n2026-03-01T00:00:00Z,ON,250%\n");
    assertThatThrownBy(() -> ReactorTimelineFile.readAll(f, NOMINAL_MW)).hasMessageContaining("line 2: power '250%' gives 2.5");
  }

  @Test
  void aGrowingFileIsReadLineByLineAndBadLinesAreCountedNotFatal(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("live.csv");
    Files.writeString(f, "time,state,power\n2026-03-01T00:00:00Z,ON,100%\n2026-03-01T01:00:00Z,ON,9");
    ReactorTimelineFile live = new ReactorTimelineFile(f, NOMINAL_MW, false);
    assertThat(live.readNew()).extracting(ReactorTransition::powerFraction).containsExactly(1.0); // "…,ON,9" is not complete
    Files.writeString(f, "0%\n2026-03-01T02:00:00Z,MAINTENANCE,\n2026-03-01T03:00:00Z,OFF,\n", StandardOpenOption.APPEND);
    List<ReactorTransition> more = live.readNew();
    assertThat(more).extracting(ReactorTransition::powerFraction).containsExactly(0.9, 0.0);
    assertThat(more).extracting(ReactorTransition::line).containsExactly(3, 5);
    assertThat(live.badLines()).isEqualTo(1);
    assertThat(live.lastError()).isEqualTo("reactor timeline " + f + " line 4: unknown state 'MAINTENANCE' (ON, OFF or UNKNOWN)");
    assertThat(live.readNew()).isEmpty();
  }

  @Test
  void theFollowerCountsBadLinesAndAMissingFileAndKeepsGoing(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("later.csv");
    List<String> applied = new java.util.ArrayList<>();
    try (ReactorTimelineFollower follower = new ReactorTimelineFollower(f, NOMINAL_MW,
        (state, power, at) -> applied.add(state + " " + power + " " + at))) {
      io.micrometer.core.instrument.simple.SimpleMeterRegistry registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
      new org.nudaq.server.metrics.ReactorTimelineMetrics(follower, List.of()).bindTo(registry);
      follower.poll(); // no file yet: a failed read, counted, retried on the next poll
      follower.poll();
      assertThat(follower.readFailures()).isEqualTo(2);
      Files.writeString(f, "time,state,power\n2026-03-01T00:00:00Z,ON,97%\n2026-02-01T00:00:00Z,OFF,\n2026-03-02T00:00:00Z,OFF,\n");
      follower.poll();
      assertThat(applied).containsExactly("ON 0.97 2026-03-01T00:00:00Z", "OFF 0.0 2026-03-02T00:00:00Z");
      assertThat(registry.get("nudaq.reactor.timeline.transitions").functionCounter().count()).isEqualTo(2);
      assertThat(registry.get("nudaq.reactor.timeline.bad.lines").functionCounter().count()).isEqualTo(1);
      assertThat(registry.get("nudaq.reactor.timeline.read.failures").functionCounter().count()).isEqualTo(2);
    }
  }
}
