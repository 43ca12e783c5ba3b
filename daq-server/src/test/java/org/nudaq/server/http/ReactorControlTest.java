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
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReactorControlTest {

  @Test
  void crewSetsTheReactorStateWithTheTokenAndNothingChangesWithoutIt(@TempDir Path dir) throws Exception {
    try (MonitoredDaemon d = MonitoredDaemon.start(dir, "control", true)) {
      MonitoredDaemon.await("a snapshot with data", Duration.ofSeconds(10),
          () -> d.daemon.snapshot() != null && d.daemon.snapshot().totals().received() > 0);
      assertThat(d.daemon.snapshot().reactorState()).isEqualTo(ReactorState.UNKNOWN);
      assertThat(d.post("/api/control/reactor", "{\"state\":\"on\"}", null).statusCode()).isEqualTo(401);
      assertThat(d.post("/api/control/reactor", "{\"state\":\"up\"}", d.token()).statusCode()).isEqualTo(400);
      assertThat(d.post("/api/control/reactor", "state=on", d.token()).statusCode()).isEqualTo(400);
      // Commands run on the pipeline thread between frames: a refused request must have queued none.
      MonitoredDaemon.await("a later snapshot", Duration.ofSeconds(10),
          () -> d.daemon.snapshot().takenAt().isAfter(java.time.Instant.now().minusMillis(500)));
      assertThat(d.daemon.snapshot().reactorState()).isEqualTo(ReactorState.UNKNOWN);
      var r = d.post("/api/control/reactor", "{\"state\":\"on\"}", d.token());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(new ObjectMapper().readTree(r.body()).path("state").asText()).isEqualTo("on");
      MonitoredDaemon.await("reactor ON in a snapshot", Duration.ofSeconds(10),
          () -> d.daemon.snapshot().reactorState() == ReactorState.ON);
      assertThat(d.get("/api/status").body()).contains("\"state\":\"on\"", "\"source\":\"control\"");
      // Events are no longer gated as reactor-unknown: the ON spectrum after gates fills.
      MonitoredDaemon.await("ON live time after gates", Duration.ofSeconds(10),
          () -> d.daemon.snapshot().detectors().get(0).liveTimeOnSeconds() > 0);
    }
  }
}
