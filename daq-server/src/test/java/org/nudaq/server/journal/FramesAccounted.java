package org.nudaq.server.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.nudaq.sim.server.BoardLink;

/**
 * The frame ground truth of the tests that kill, restart and stop a daemon reading a simulated board:
 * every frame the board numbered up to the last one the daemon journaled is either journaled or counted
 * lost by a sequence gap, and that last one is at or after the run's GOODBYE (so every frame of the run is
 * accounted for).
 *
 * <p>Not every frame the board numbered: the daemon reconnects to the finished board until it stops, and
 * the board numbers a HELLO and a GOODBYE on each connection. When the stopping daemon closes such a
 * connection before reading it (a connect in flight when the link closes), those frames were numbered
 * but never received, and no later frame shows them as a gap (frames numbered 1826180, journaled +
 * lost 1826178 in one clean-clone run of {@link CrashRecoveryTest}). They carry no events.
 *
 * <p>Test helper; stateless.
 */
final class FramesAccounted {
  private FramesAccounted() {}

  /**
   * Prints one line ({@code label}: the numbers) and asserts the ground truth above for the board of
   * {@code link}, whose frames are in {@code journal}: {@code framesJournaled} (the replay's frames) plus
   * {@code lostFrames} (the run summary's) are the frames numbered through the last journaled one.
   */
  static void assertEveryFrameThroughTheLastJournaledIsJournaledOrLost(String label, Path journal, BoardLink link,
      long framesJournaled, long lostFrames) {
    long numbered = link.nextSequence();
    long numberedThroughGoodbye = link.framesNumberedThroughGoodbye();
    long lastJournaled = lastJournaledSequence(journal, link.board().boardId());
    System.out.printf("%s: frames numbered %d (%d through the run's GOODBYE), journaled %d (the last one %d), counted lost %d%n",
        label, numbered, numberedThroughGoodbye, framesJournaled, lastJournaled, lostFrames);
    assertThat(numberedThroughGoodbye).as("the board's run ended (its GOODBYE)").isPositive();
    assertThat(framesJournaled + lostFrames).as("frames journaled + counted lost").isEqualTo(lastJournaled + 1);
    assertThat(lastJournaled + 1).as("frames numbered through the last journaled one")
        .isBetween(numberedThroughGoodbye, numbered);
  }

  /** The sequence number of {@code boardId}'s last frame in {@code journal}, as {@link SessionProgress} keeps it. */
  static long lastJournaledSequence(Path journal, int boardId) {
    SessionProgress progress = new SessionProgress();
    JournalVisitor v = new JournalVisitor() {
      @Override
      public void onFrame(long index, long wallClockEpochMs, int board, byte[] frame, int length, long framesLostBefore) {
        progress.onFrame(board, frame, length);
      }
    };
    try (JournalReader reader = new JournalReader(journal)) {
      while (reader.next(v)) {
        // to the end
      }
    }
    assertThat(progress.hasBoard(boardId)).as("board %d has frames in the journal", boardId).isTrue();
    return progress.lastSequence(boardId);
  }
}
