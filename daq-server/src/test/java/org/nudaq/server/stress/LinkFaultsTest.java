package org.nudaq.server.stress;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nudaq.server.link.LinkStats;
import org.nudaq.sim.server.Pacing;

/**
 * The real simulator injecting link faults into the real daemon over TCP: the daemon keeps running,
 * reconnects after every drop, and every event the boards accepted is explained — received by the
 * pipeline, or inside a frame the daemon counted as damaged, lost or duplicated — checked against the
 * simulator's ground truth.
 */
class LinkFaultsTest {
  /** The configured NaI singles rate: with 256-event aggregates and 1 s HPGe aggregates, ~1.3 frames per detector second. */
  private static final double NAI_HZ = 50;
  /** Detector seconds per wall second: ~2,600 frames and 100,000 events per wall second. */
  private static final Pacing PACING = new Pacing(2000);
  /** Wall seconds of each run: long enough for several link drops and a stall. */
  private static final double WALL_SECONDS = 6;
  private static final double DAYS = WALL_SECONDS * 2000 / 86_400;

  @Test
  void dropsCorruptionTruncationGarbageSkipsStallAndBurstLoseOnlyTheFramesTheyHitAndEveryLossIsCounted(@TempDir Path dir)
      throws Exception {
    String faults = "disconnect-every=1500ms,corrupt=2e-3,truncate=2e-3,garbage=2e-3,skip-seq=2e-3,"
        + "stall=1500ms@2s,burst=10x@2000s+1000s";
    SimulatorToDaemon run = SimulatorToDaemon.start(SimulatorToDaemon.gemma1(NAI_HZ, 31), PACING, DAYS, faults, dir);
    JsonNode summary;
    try {
      summary = run.finish(120);
    } finally {
      run.close();
    }
    JsonNode truth = run.truth();
    JsonNode board = truth.get("boards").get(0);
    JsonNode injected = board.get("faults");
    LinkStats link = run.daemon().links().get(0);

    // Every kind of fault was injected, the stall and the burst happened.
    assertThat(injected.get("corruptFrames").asLong()).isPositive();
    assertThat(injected.get("truncatedFrames").asLong()).isPositive();
    assertThat(injected.get("garbageInsertions").asLong()).isPositive();
    assertThat(injected.get("skippedSequences").asLong()).isPositive();
    // (every framing fault also drops the link, so the timed drop rarely comes first here; the
    // second test drops it on time)
    assertThat(injected.get("stalls").asLong()).isEqualTo(1);
    assertThat(truth.get("bursts").get(0).get("count").asLong()).isEqualTo(1);

    // Every event the boards accepted: received by the daemon, or in a frame the fault damaged.
    JsonNode acc = summary.get("accounting");
    JsonNode channels = board.get("channels");
    long sent = 0;
    for (int i = 0; i < channels.size(); i++) {
      JsonNode t = channels.get(i);
      long received = acc.get("channels").get(i).get("received").asLong();
      assertThat(t.get("unsentEvents").asLong()).as("channel %d unsent", i).isZero();
      assertThat(received + t.get("damagedEvents").asLong()).as("channel %d: received + damaged = accepted", i)
          .isEqualTo(t.get("acceptedTriggers").asLong());
      sent += t.get("sentEvents").asLong();
    }
    assertThat(acc.get("received").asLong()).isEqualTo(sent);
    assertThat(link.eventsReceived()).isEqualTo(sent);
    assertThat(acc.get("balances").asBoolean()).isTrue();
    assertThat(acc.get("pending").asLong()).isZero();
    assertThat(run.daemon().ingest().decodeErrors()).isZero();

    // Every lost frame is counted: corrupted (CRC), truncated by a drop, or a skipped sequence number.
    long corrupt = injected.get("corruptFrames").asLong();
    assertThat(link.crcErrors()).isEqualTo(corrupt);
    assertThat(link.framesLost())
        .isEqualTo(corrupt + injected.get("truncatedFrames").asLong() + injected.get("skippedSequences").asLong());
    assertThat(acc.get("lostFrames").asLong()).isEqualTo(link.framesLost());
    assertThat(link.skippedBytes()).as("garbage, the rest of corrupt frames, truncated tails").isPositive();
    assertThat(link.duplicateFrames()).isZero();
    // Every frame the board sent intact arrived: sent = received + lost (GOODBYE included in both).
    assertThat(link.framesReceived() + link.framesLost()).isEqualTo(board.get("framesSent").asLong()
        + injected.get("skippedSequences").asLong());

    // It reconnected after every drop: each connection the simulator accepted is one the daemon made.
    long drops = injected.get("disconnects").asLong() + corrupt + injected.get("truncatedFrames").asLong()
        + injected.get("garbageInsertions").asLong();
    // (the daemon may count one connection more: a reconnect after the last GOODBYE whose TCP connect
    // completes while the daemon and then the simulator close, before the simulator attaches it)
    assertThat(link.connects()).isBetween(board.get("connections").asLong(), board.get("connections").asLong() + 1);
    assertThat(board.get("connections").asLong()).isGreaterThanOrEqualTo(drops + 1);
  }

  @Test
  void linkDroppedEveryHalfSecondReconnectsDuplicatedFramesAreDroppedWithTheirEventsCountedAndSkippedSequencesAreGaps(@TempDir Path dir)
      throws Exception {
    String faults = "disconnect-every=500ms,dup-seq=5e-3,skip-seq=5e-3";
    SimulatorToDaemon run = SimulatorToDaemon.start(SimulatorToDaemon.gemma1(NAI_HZ, 32), new Pacing(4000), DAYS, faults, dir);
    JsonNode summary;
    try {
      summary = run.finish(120);
    } finally {
      run.close();
    }
    JsonNode board = run.truth().get("boards").get(0);
    JsonNode injected = board.get("faults");
    LinkStats link = run.daemon().links().get(0);
    assertThat(injected.get("duplicatedSequences").asLong()).isPositive();
    assertThat(injected.get("skippedSequences").asLong()).isPositive();
    assertThat(injected.get("disconnects").asLong()).isPositive();

    long sent = 0;
    for (JsonNode t : board.get("channels")) {
      sent += t.get("sentEvents").asLong();
      assertThat(t.get("damagedEvents").asLong()).isZero();
      assertThat(t.get("unsentEvents").asLong()).isZero();
    }
    assertThat(link.duplicateFrames()).isEqualTo(injected.get("duplicatedSequences").asLong());
    assertThat(link.framesLost()).isEqualTo(injected.get("skippedSequences").asLong());
    assertThat(link.crcErrors() + link.malformedFrames() + link.skippedBytes()).isZero();
    // The events of a duplicated frame are new events under an old sequence number: dropped, counted.
    assertThat(link.eventsReceived() + link.duplicateFrameEvents()).isEqualTo(sent);
    assertThat(link.duplicateFrameEvents()).isPositive();
    JsonNode acc = summary.get("accounting");
    assertThat(acc.get("received").asLong()).isEqualTo(link.eventsReceived());
    assertThat(acc.get("balances").asBoolean()).isTrue();
    assertThat(link.connects()).isBetween(board.get("connections").asLong(), board.get("connections").asLong() + 1);
    assertThat(board.get("connections").asLong()).isGreaterThanOrEqualTo(injected.get("disconnects").asLong() + 1);
  }
}
