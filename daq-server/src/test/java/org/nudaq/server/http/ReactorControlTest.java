package org.nudaq.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nudaq.server.pipeline.ReactorState;

/**
 * The reactor state set by the shift crew (gates.reactorStateSource: control), data from the
 * simulator: the state applies from the pipeline's data time on, so it shows once data flows.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ReactorControlTest {

  @Test
  void crewSetsTheReactorStateWithTheTokenAndNothingChangesWithoutIt(@TempDir Path dir) throws Exception {
    try (MonitoredDaemon d = MonitoredDaemon.start(dir, "control", true)) {
      MonitoredDaemon.await("a snapshot with data", Duration.ofSeconds(30),
          () -> d.daemon.snapshot() != null && d.daemon.snapshot().totals().received() > 0);
      assertThat(d.daemon.snapshot().reactorState()).isEqualTo(ReactorState.UNKNOWN);
      assertThat(d.post("/api/control/reactor", "{\"state\":\"on\"}", null).statusCode()).isEqualTo(401);
      assertThat(d.post("/api/control/reactor", "{\"state\":\"up\"}", d.token()).statusCode()).isEqualTo(400);
      assertThat(d.post("/api/control/reactor", "state=on", d.token()).statusCode()).isEqualTo(400);
      // Commands run on the pipeline thread between frames: a refused request must have queued none. A snapshot
      // taken after the last refusal was answered shows it (not one "taken lately": that may predate the requests).
      java.time.Instant refused = java.time.Instant.now();
      MonitoredDaemon.await("a snapshot taken after the refusals", Duration.ofSeconds(30),
          () -> d.daemon.snapshot().takenAt().isAfter(refused));
      assertThat(d.daemon.snapshot().reactorState()).isEqualTo(ReactorState.UNKNOWN);
      var r = d.post("/api/control/reactor", "{\"state\":\"on\"}", d.token());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(new ObjectMapper().readTree(r.body()).path("state").asText()).isEqualTo("on");
      MonitoredDaemon.await("reactor ON in a snapshot", Duration.ofSeconds(30),
          () -> d.daemon.snapshot().reactorState() == ReactorState.ON);
      assertThat(d.get("/api/status").body()).contains("\"state\":\"on\"", "\"source\":\"control\"");
      // Events are no longer gated as reactor-unknown: the ON spectrum after gates fills.
      MonitoredDaemon.await("ON live time after gates", Duration.ofSeconds(30),
          () -> d.daemon.snapshot().detectors().get(0).liveTimeOnSeconds() > 0);
    }
  }

  @Test
  void thePowerGoesWithTheStateFromTheApiAndTheFollowedTimelineAndIsJournaled(@TempDir Path dir) throws Exception {
    Path plant = dir.resolve("plant.csv");
    java.nio.file.Files.writeString(plant, "time,state,power\n");
    try (MonitoredDaemon d = MonitoredDaemon.start(dir, "control", true);
        org.nudaq.server.reactor.ReactorTimelineFollower follower = new org.nudaq.server.reactor.ReactorTimelineFollower(plant,
            d.daemon.config().reactor().thermalPowerMW(),
            (state, power, at) -> d.daemon.ingest().submitReactorStateAt(state, power, at))) {
      MonitoredDaemon.await("a snapshot with data", Duration.ofSeconds(30),
          () -> d.daemon.snapshot() != null && d.daemon.snapshot().totals().received() > 0);
      assertThat(d.post("/api/control/reactor", "{\"state\":\"on\",\"powerFraction\":-0.1}", d.token()).statusCode()).isEqualTo(400);
      assertThat(d.post("/api/control/reactor", "{\"state\":\"on\",\"powerFraction\":\"half\"}", d.token()).statusCode()).isEqualTo(400);
      var r = d.post("/api/control/reactor", "{\"state\":\"on\",\"powerFraction\":0.5}", d.token());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(new ObjectMapper().readTree(r.body()).path("powerFraction").asDouble()).isEqualTo(0.5);
      MonitoredDaemon.await("ON live time", Duration.ofSeconds(30),
          () -> d.daemon.snapshot().detectors().get(0).liveTimeBeforeGatesOnSeconds() > 0);
      // All ON time so far at half power: the signal exposure is half the ON live time.
      assertThat(d.daemon.snapshot().detectors().get(0).meanPowerFractionOn()).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-9));
      // The plant log grows by a bad line and a good one: the bad one is counted, the good one applies.
      java.nio.file.Files.writeString(plant, "not a time,ON,\n" + java.time.Instant.now() + ",ON,25%\n",
          java.nio.file.StandardOpenOption.APPEND);
      follower.poll();
      assertThat(follower.badLines()).isEqualTo(1);
      assertThat(follower.transitions()).isEqualTo(1);
      MonitoredDaemon.await("ON time at 25 % lowers the mean power", Duration.ofSeconds(30),
          () -> d.daemon.snapshot().detectors().get(0).meanPowerFractionOn() < 0.499);
      assertThat(d.daemon.snapshot().reactorState()).isEqualTo(ReactorState.ON);
    }
    // Both are journaled with their power (REACTOR_POWER records), so a replay reproduces them.
    java.util.List<Double> powers = new java.util.ArrayList<>();
    try (org.nudaq.server.journal.JournalReader reader = new org.nudaq.server.journal.JournalReader(dir.resolve("data").resolve("journal"))) {
      org.nudaq.server.journal.JournalVisitor v = new org.nudaq.server.journal.JournalVisitor() {
        @Override
        public void onReactorState(long index, long wallMs, ReactorState state, double powerFraction, long effectiveTimeNs) {
          powers.add(powerFraction);
        }
      };
      while (reader.next(v)) {
        // all records
      }
    }
    assertThat(powers).containsExactly(0.5, 0.25);
  }
}
