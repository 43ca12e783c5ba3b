package org.nudaq.server.link;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nudaq.monitor.wire.BoardHello;
import org.nudaq.monitor.wire.FrameWriter;

/**
 * The link's side of a stop and the next start (docs/journal-and-replay.md, *Stopping the daemon*): a stopping
 * link that received frames it could not pass on counts them lost and reports them in its numbering
 * ({@link BoardLink#numberedThrough}, written into the CLOSED record); the next process's link, resumed after the
 * last journaled frame with those frames counted earlier, journals the whole gap with the board's next frame but
 * counts only the frames new to it, so the two processes' {@code framesLost} sum to the journaled gaps.
 * The real decoder and frame handler in an EmbeddedChannel, frames built by the protocol's writer.
 */
class LinkResumeAfterStopTest {
  private static final int BOARD = 3;

  @Test
  void aStoppingLinkNumbersTheFramesItCouldNotPassOnAndTheNextLinkDoesNotCountThemAgain() {
    // The stopping process: frames 0..9 passed on, 10..12 rejected (the pipeline gone), counted lost.
    RecordingSink first = new RecordingSink(10);
    LinkStats firstStats = new LinkStats(BOARD);
    SequenceTracker firstTracker = new SequenceTracker(1L << 32);
    EmbeddedChannel a = channel(firstStats, firstTracker, first);
    a.writeInbound(Unpooled.wrappedBuffer(hello(0)));
    for (long s = 1; s <= 12; s++) {
      a.writeInbound(Unpooled.wrappedBuffer(GoldenFrames.events(BOARD, s, 100 * s, 2)));
    }
    assertThat(first.lost).hasSize(10);
    assertThat(firstStats.framesDropped()).isEqualTo(3);
    assertThat(firstStats.framesLost()).isEqualTo(3);
    assertThat(firstTracker.numberedThrough()).as("the stopped link's numbering, for the CLOSED record").isEqualTo(12L);
    a.finishAndReleaseAll();

    // The next process: resumed after the last journaled frame (9), 3 frames after it counted by the first link.
    // The board continues at 20 (its next connection's HELLO): 10 frames missing, 7 of them new to this process.
    RecordingSink second = new RecordingSink(Integer.MAX_VALUE);
    LinkStats secondStats = new LinkStats(BOARD);
    SequenceTracker secondTracker = new SequenceTracker(1L << 32);
    secondTracker.resumeAfter(9, 12 - 9);
    EmbeddedChannel b = channel(secondStats, secondTracker, second);
    b.writeInbound(Unpooled.wrappedBuffer(hello(20)));
    b.writeInbound(Unpooled.wrappedBuffer(GoldenFrames.events(BOARD, 22, 0, 1)));
    assertThat(second.lost).as("journaled with the frames: the whole gaps").containsExactly(10L, 1L);
    assertThat(secondStats.framesLost()).as("counted by this link: the gaps less the 3 counted by the first").isEqualTo(7 + 1);
    assertThat(secondStats.sequenceGaps()).isEqualTo(2);
    assertThat(firstStats.framesLost() + secondStats.framesLost()).as("both processes' framesLost")
        .isEqualTo(second.lost.stream().mapToLong(Long::longValue).sum());
    b.finishAndReleaseAll();
  }

  @Test
  void aLinkResumedWithoutEarlierCountsCountsTheWholeGapAndARestartedBoardNone() {
    RecordingSink sink = new RecordingSink(Integer.MAX_VALUE);
    LinkStats stats = new LinkStats(BOARD);
    SequenceTracker tracker = new SequenceTracker(1L << 32);
    tracker.resumeAfter(9, 0); // a CLOSED record of a writer before session 10, or a crash: no earlier counts
    EmbeddedChannel c = channel(stats, tracker, sink);
    c.writeInbound(Unpooled.wrappedBuffer(hello(15)));
    assertThat(sink.lost).containsExactly(5L);
    assertThat(stats.framesLost()).isEqualTo(5);
    c.finishAndReleaseAll();

    RecordingSink restarted = new RecordingSink(Integer.MAX_VALUE);
    LinkStats restartedStats = new LinkStats(BOARD);
    SequenceTracker restartedTracker = new SequenceTracker(1L << 32);
    restartedTracker.resumeAfter(9, 3);
    EmbeddedChannel d = channel(restartedStats, restartedTracker, restarted);
    d.writeInbound(Unpooled.wrappedBuffer(hello(0))); // the board restarted: its numbering went back
    d.writeInbound(Unpooled.wrappedBuffer(GoldenFrames.events(BOARD, 2, 0, 1)));
    assertThat(restarted.lost).containsExactly(0L, 1L);
    assertThat(restartedStats.framesLost()).as("the earlier counts do not apply to a new numbering").isEqualTo(1);
    d.finishAndReleaseAll();
  }

  private static EmbeddedChannel channel(LinkStats stats, SequenceTracker tracker, FrameSink sink) {
    return new EmbeddedChannel(new WireFrameDecoder(stats), new BoardFrameHandler(BOARD, stats, tracker, () -> {}, sink, 10_000));
  }

  private static byte[] hello(long sequence) {
    ByteBuffer b = ByteBuffer.allocate(256);
    int n = new FrameWriter().writeHello(b, 0, BOARD, sequence, new BoardHello(0, 4000, 1000, 1, 0, 2, 16, 0));
    byte[] out = new byte[n];
    b.get(0, out);
    return out;
  }

  /** Takes {@code capacity} frames, recording the gap handed with each; then refuses as a pipeline gone (rejected). */
  private static final class RecordingSink implements FrameSink {
    final List<Long> lost = new ArrayList<>();
    private final int capacity;

    RecordingSink(int capacity) {
      this.capacity = capacity;
    }

    @Override
    public boolean offer(int boardId, ByteBuf frame, long framesLostBefore) {
      if (lost.size() == capacity) {
        throw new java.util.concurrent.RejectedExecutionException("the pipeline has stopped");
      }
      lost.add(framesLostBefore);
      return true;
    }

    @Override
    public void whenSpace(Runnable callback) {
      callback.run();
    }
  }
}
