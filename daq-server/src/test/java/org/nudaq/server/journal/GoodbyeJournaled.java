package org.nudaq.server.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.nudaq.monitor.wire.FrameDescriptor;

/**
 * Waits until a daemon running in a child JVM has journaled a board's GOODBYE, so it has everything the
 * board sent before it (the link stops reading rather than drop). One place for the wait the crash,
 * restart, disk-floor, calibration-restart and large-frame tests make before they stop the daemon.
 * Test helper; stateless.
 */
public final class GoodbyeJournaled {
  private static final long TIMEOUT_SECONDS = 120;

  private GoodbyeJournaled() {}

  /**
   * Reads {@code journal} as it grows until a GOODBYE frame is in it; fails if {@code daemon} dies (its
   * output is in {@code log}) or 120 s pass first.
   */
  public static void await(Path journal, Process daemon, Path log) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
    boolean[] seen = new boolean[1];
    JournalVisitor v = new JournalVisitor() {
      @Override
      public void onFrame(long index, long wallClockEpochMs, int boardId, byte[] frame, int length, long framesLostBefore) {
        if ((frame[FrameDescriptor.TYPE_OFFSET] & 0xFF) == FrameDescriptor.TYPE_GOODBYE) {
          seen[0] = true;
        }
      }
    };
    try (JournalReader reader = new JournalReader(journal)) {
      while (!seen[0]) {
        if (!reader.next(v)) {
          assertThat(daemon.isAlive()).as("daemon alive (see %s)", log).isTrue();
          assertThat(System.nanoTime()).as("GOODBYE journaled in time").isLessThan(deadline);
          Thread.sleep(20);
        }
      }
    }
  }
}
