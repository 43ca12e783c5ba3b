package org.nudaq.server.compass;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nudaq.monitor.config.CompassFollowConfig;
import org.nudaq.monitor.config.ConfigLoader;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.server.daemon.Daemon;
import org.nudaq.server.journal.JournalSession;
import org.nudaq.sim.caen.CaenSimulation;
import org.nudaq.sim.caen.CompassRunWriter;
import org.nudaq.sim.server.Pacing;

/**
 * A clean stop in the middle of a followed folder and a restart (a new journal session): the second
 * daemon resumes where the first one's journal ends (the position log's session-end line), so over
 * both sessions the journal holds every frame once — per board the sequence numbers rise by one
 * across the sessions, with a HELLO opening the second — and the events are exactly the import's.
 * (settleSeconds is 0: the follow may start a run between the simulator's making of its two channel
 * files; the second then joins late — {@link CompassFollowLateChannelFileTest} — and is journaled whole.
 * Before that join existed, this left a run's channel 1 unread about once in ten runs.)
 */
class CompassFollowRestartTest {

  @Test
  void aCleanStopMidwayAndARestartJournalEveryFrameOnce(@TempDir Path dir) throws Exception {
    Path folder = dir.resolve("compass");
    NudaqConfig base = new ConfigLoader().load(Path.of("../config/gemma-1.yaml"));
    NudaqConfig config = base.withCompass(base.compass().withFollow(new CompassFollowConfig(folder.toString(), 5, 0, null)));
    CompassRunWriter writer = new CompassRunWriter(config, folder, 150, 20_000);
    CaenSimulation sim = new CaenSimulation(config, writer);
    Thread simThread = new Thread(() -> sim.run(Pacing.parse("60"), 0.004), "caen-sim"); // 345 s: three runs, ~6 s
    Path data = dir.resolve("data");
    Path log = data.resolve(CompassFollow.POSITION_LOG);

    Daemon first = new Daemon(config, data, Clock.systemUTC());
    first.start();
    simThread.start(); // the daemon is up: it follows the folder as it is written
    awaitLog(log, l -> l.lines().filter(x -> x.startsWith("S ")).count() >= 8);
    first.close(); // mid-way: the follow stops inside a slab
    assertThat(Files.readString(log)).doesNotContain("F run=run_3");
    Daemon second = new Daemon(config, data, Clock.systemUTC());
    second.start();
    simThread.join(60_000);
    awaitLog(log, l -> l.contains("F run=run_3%2FRAW"));
    second.close();

    assertThat(JournalSession.all(data.resolve("journal"))).hasSize(2);
    JournaledFrames journaled = JournaledFrames.read(data.resolve("journal"));
    Files.readString(log).lines().filter(l -> !l.startsWith("S ")).forEach(l -> System.out.println("position log: " + l));
    System.out.println("events journaled " + journaled.events() + ", last frame " + journaled.lastSequence());
    assertThat(journaled.problems()).isEmpty();
    assertThat(journaled.hellos()).as("a HELLO opens each session").isEqualTo(2);
    CompassImport.Result imported = new CompassImport(config).run(folder);
    assertThat(journaled.events()).isEqualTo(imported.replay().events()).isPositive();
  }

  private static void awaitLog(Path log, java.util.function.Predicate<String> done) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.exists(log) || !done.test(Files.readString(log))) {
      assertThat(System.nanoTime()).as("position log %s", log).isLessThan(deadline);
      Thread.sleep(5);
    }
  }
}
