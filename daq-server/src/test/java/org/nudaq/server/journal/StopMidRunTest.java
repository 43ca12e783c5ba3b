package org.nudaq.server.journal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.wire.FrameDescriptor;
import org.nudaq.server.daemon.Daemon;
import org.nudaq.server.link.LinkStats;
import org.nudaq.server.stress.SimulatorToDaemon;
import org.nudaq.sim.server.BoardLink;
import org.nudaq.sim.server.Pacing;
import org.nudaq.sim.server.Simulation;

/**
 * A stop (SIGTERM: the shutdown hook closes the daemon) in the middle of a run, with the real simulator over
 * TCP on 127.0.0.1 and the real journal: every frame the stopping daemon received is journaled (its link's
 * counts equal the session's frames and events in the journal), and the frames the board sent on that
 * connection after the cut — in its buffers, on the wire, a frame cut in half — are counted lost by the next
 * session, which follows the board's numbering on from the last frame journaled. At the end every frame the
 * board numbered through its GOODBYE is journaled or counted lost ({@link FramesAccounted}'s rule, over both
 * sessions). No timing: each step waits for a condition with a deadline.
 */
class StopMidRunTest {
  private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long TIMEOUT_SECONDS = 60;

  @Test
  void aStopJournalsEveryFrameReceivedAndTheNextSessionCountsTheFramesCutOffAsLost(@TempDir Path dir) throws Exception {
    // NaI singles at 20 Hz: ~1.7e6 events per detector day, 1 day, at full speed (seconds).
    NudaqConfig config = SimulatorToDaemon.gemma1(20, 19);
    Path data = dir.resolve("data");
    SimulatorToDaemon run = SimulatorToDaemon.start(config, Pacing.max(), 1, "", data);
    Simulation sim = run.simulation();
    BoardLink board = sim.links().get(0);
    LinkStats first;
    LinkStats[] next = new LinkStats[1];
    JsonNode firstSummary;
    try {
      Daemon daemon = run.daemon();
      first = daemon.links().get(0);
      waitFor("the first daemon has received 200000 events", () -> first.eventsReceived() >= 200_000);
      daemon.close(); // what the shutdown hook does on SIGTERM
      assertThat(first.goodbyes()).as("stopped in the middle of the run, before the board's GOODBYE").isZero();
      firstSummary = new ObjectMapper().readTree(daemon.summaryFile().toFile());

      Daemon second = new Daemon(daemon.config(), data, Clock.systemUTC());
      try {
        second.start();
        sim.generationEnd().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertThat(sim.awaitGoodbyes(TIMEOUT_SECONDS, TimeUnit.SECONDS)).as("the board's GOODBYE sent").isTrue();
        LinkStats link = second.links().get(0);
        next[0] = link;
        waitFor("the second daemon has taken the board's GOODBYE", () -> link.goodbyes() > 0 && second.queue().size() == 0);
      } finally {
        second.close();
      }
    } finally {
      sim.close();
    }

    List<SessionFrames> sessions = SessionFrames.read(data.resolve("journal"), board.board().boardId());
    assertThat(sessions).hasSize(2);
    SessionFrames stopped = sessions.get(0);
    System.out.printf("stop mid-run: first session journaled %d frames, %d events; its link received %d frames, %d events;"
        + " %d bytes of a frame cut by the stop; the next session's first gap %d frames%n", stopped.frames, stopped.events,
        first.framesReceived(), first.eventsReceived(), first.skippedBytes(), sessions.get(1).firstGap);
    // Everything the stopping daemon received is in its session of the journal.
    assertThat(stopped.frames).as("frames journaled by the stopped session").isEqualTo(first.framesReceived());
    assertThat(stopped.events).as("events journaled by the stopped session").isEqualTo(first.eventsReceived());
    assertThat(firstSummary.get("links").get(0).get("eventsReceived").asLong()).isEqualTo(first.eventsReceived());
    // Every frame the board numbered through the last journaled one (at or after its GOODBYE) is journaled or
    // counted lost, across the stop: the frames cut off are in the next session's gap.
    long framesJournaled = stopped.frames + sessions.get(1).frames;
    long framesLost = stopped.lost + sessions.get(1).lost;
    long lastJournaled = sessions.get(1).lastSequence;
    assertThat(framesJournaled + framesLost).as("frames journaled + counted lost, both sessions").isEqualTo(lastJournaled + 1);
    assertThat(lastJournaled + 1).as("frames numbered through the last journaled one")
        .isBetween(board.framesNumberedThroughGoodbye(), board.nextSequence());
    // The stopped session's CLOSED record has its link's numbering; the two processes' links count each lost frame once.
    assertThat(linksAtFirstStop(data.resolve("journal"))).containsEntry(board.board().boardId(), stopped.lastSequence);
    assertThat(first.framesLost() + next[0].framesLost()).as("links[].framesLost of both processes").isEqualTo(framesLost);
  }

  /** The first CLOSED record's links at the stop. */
  private static java.util.Map<Integer, Long> linksAtFirstStop(Path journal) {
    java.util.Map<Integer, Long> out = new java.util.HashMap<>();
    boolean[] closed = new boolean[1];
    JournalVisitor v = new JournalVisitor() {
      @Override
      public void onLinkAtStop(long index, int boardId, long lastSequence) {
        if (!closed[0]) {
          out.put(boardId, lastSequence);
        }
      }

      @Override
      public void onClosed(long index, long wallClockEpochMs) {
        closed[0] = true;
      }
    };
    try (JournalReader reader = new JournalReader(journal)) {
      while (!closed[0] && reader.next(v)) {
        // to the first CLOSED
      }
    }
    return out;
  }

  private static void waitFor(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waiting until %s", what).isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  /** One session's frames of a board in the journal: count, events, frames counted lost before them, the last sequence. */
  private static final class SessionFrames {
    long frames;
    long events;
    long lost;
    long firstGap = -1;
    long lastSequence = -1;

    static List<SessionFrames> read(Path journal, int boardId) {
      List<SessionFrames> out = new ArrayList<>();
      JournalVisitor v = new JournalVisitor() {
        @Override
        public void onSession(long index, long wallClockEpochMs, String configSource, String configYaml) {
          out.add(new SessionFrames());
        }

        @Override
        public void onFrame(long index, long wallClockEpochMs, int board, byte[] frame, int length, long framesLostBefore) {
          if (board != boardId) {
            return;
          }
          SessionFrames s = out.get(out.size() - 1);
          s.frames++;
          s.lost += framesLostBefore;
          if (s.firstGap < 0) {
            s.firstGap = framesLostBefore;
          }
          s.lastSequence = (long) LONG_LE.get(frame, FrameDescriptor.SEQUENCE_OFFSET);
          if ((frame[FrameDescriptor.TYPE_OFFSET] & 0xFF) == FrameDescriptor.TYPE_EVENTS) {
            s.events += (int) INT_LE.get(frame, FrameDescriptor.EVENTS_COUNT_OFFSET) & 0xFFFFFFFFL;
          }
        }
      };
      try (JournalReader reader = new JournalReader(journal)) {
        while (reader.next(v)) {
          // to the end
        }
      }
      return out;
    }
  }
}
