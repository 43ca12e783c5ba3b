package org.nudaq.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nudaq.monitor.wire.BoardHello;
import org.nudaq.monitor.wire.FrameReader;
import org.nudaq.monitor.wire.FrameVisitor;
import org.nudaq.monitor.wire.FrameWriter;

/**
 * A board frame's records decoded into columns and offered to the merge run by run
 * ({@link EventPipeline#onBoardFrameEvents}) give the pipeline exactly the state that one
 * {@link EventPipeline#onBoardFrameEvent} per record gives: compared bit for bit after every frame, on a
 * stream made to take every side path (unknown channels, rare flags, late events, channels slightly out of
 * order, rings that fill up, frames longer than a decoding chunk, time stamps shifted by an offset).
 */
class FrameRecordColumnsTest {
  private static final int MERGE_CAPACITY = 64;
  private static final long OFFSET_TICKS = 123_456_789L;

  @ParameterizedTest(name = "tickPs={0}, direct buffer={1}")
  @CsvSource({"4000, false", "4000, true", "2500, false", "2500, true"})
  void runsGiveTheSameStateAsOneEventAtATime(long tickPs, boolean direct) {
    EventPipeline each = new EventPipeline(TestConfigs.gemma1(), MERGE_CAPACITY, 1 << 12);
    EventPipeline runs = new EventPipeline(TestConfigs.gemma1(), MERGE_CAPACITY, 1 << 12);
    Feed eachFeed = new Feed(each, false);
    Feed runsFeed = new Feed(runs, true);
    FrameReader reader = new FrameReader();
    FrameWriter writer = new FrameWriter();
    ByteBuffer frame = direct ? ByteBuffer.allocateDirect(1 << 16) : ByteBuffer.allocate(1 << 16);
    writer.writeHello(frame, 0, 0, 0, new BoardHello(0, tickPs, 1000, 1, 0, 2, 16, 0));
    reader.decode(frame, eachFeed);
    reader.decode(frame, runsFeed);
    SplittableRandom r = new SplittableRandom(19);
    long[] next = {0, 0, 0};
    long sequence = 1;
    long recordsWithRunsOfTwoOrMore = 0;
    for (int f = 0; f < 400; f++) {
      writer.beginEvents(frame, 0, 0, sequence++);
      int records = f % 50 == 7 ? 1500 : 1 + r.nextInt(300); // some frames span several decoding chunks
      int channel = 0;
      int left = 0;
      for (int i = 0; i < records; i++) {
        if (left == 0) {
          channel = r.nextInt(10) == 0 ? 2 + r.nextInt(2) : r.nextInt(2); // channel 3 is not configured
          left = 1 + r.nextInt(70);
        }
        left--;
        int c = Math.min(channel, 2);
        next[c] += 1 + r.nextLong(c == 0 ? 5000 : 1200);
        long ticks = next[c];
        int pick = r.nextInt(400);
        if (pick == 0) {
          ticks -= 20_000_000; // far behind: late once the merge has passed it
        } else if (pick < 40) {
          ticks -= r.nextLong(3000); // slightly out of order within its channel
        }
        int flags = r.nextInt(100) == 0 ? 1 << r.nextInt(6) : 0; // pile-up ... time-stamp reset, fake
        writer.appendEvent(ticks, channel, r.nextInt(1 << 16), flags, flags == 0x4 ? 1 + r.nextInt(9) : 0);
        recordsWithRunsOfTwoOrMore += left > 0 ? 1 : 0;
      }
      writer.finishEvents();
      reader.decode(frame, eachFeed);
      reader.decode(frame, runsFeed);
      if (f % 20 == 19) {
        long boardTicks = Math.min(next[0], next[1]) - 10_000;
        each.onStatusBegin(0, boardTicks + OFFSET_TICKS, boardTicks + OFFSET_TICKS, 1);
        each.onStatusEnd(0);
        runs.onStatusBegin(0, boardTicks + OFFSET_TICKS, boardTicks + OFFSET_TICKS, 1);
        runs.onStatusEnd(0);
      }
      assertThat(PipelineStates.of(runs)).as("state after frame %d", f).isEqualTo(PipelineStates.of(each));
    }
    each.finish();
    runs.finish();
    assertThat(PipelineStates.of(runs)).isEqualTo(PipelineStates.of(each));
    PipelineSnapshot.Totals totals = runs.publish(Instant.EPOCH).totals();
    assertThat(totals).isEqualTo(each.publish(Instant.EPOCH).totals());
    // The stream took the side paths it was made for.
    assertThat(totals.rejected().get(RejectReason.LATE)).isPositive();
    assertThat(totals.rejected().get(RejectReason.FAKE)).isPositive();
    assertThat(totals.rejected().get(RejectReason.UNKNOWN_CHANNEL)).isPositive();
    assertThat(totals.forcedEmits()).isPositive();
    assertThat(recordsWithRunsOfTwoOrMore).isGreaterThan(10_000);
  }

  /** Board 0's frames into a pipeline, each record by itself or the frame's records at once. */
  private static final class Feed implements FrameVisitor {
    private final EventPipeline pipeline;
    private final boolean records;

    Feed(EventPipeline pipeline, boolean records) {
      this.pipeline = pipeline;
      this.records = records;
    }

    @Override
    public void onHello(int boardId, long sequence, BoardHello hello) {
      pipeline.onHello(boardId, hello.tickLengthPs());
    }

    @Override
    public void onEventsBegin(int boardId, long sequence, int eventCount) {
      pipeline.beginBoardFrame(boardId);
    }

    @Override
    public void onEventRecords(ByteBuffer buffer, int offset, int count) {
      if (records) {
        pipeline.onBoardFrameEvents(buffer, offset, count, OFFSET_TICKS);
      } else {
        FrameVisitor.super.onEventRecords(buffer, offset, count);
      }
    }

    @Override
    public void onEvent(long timestampTicks, int channel, int energyAdc, int flags, int lostTriggersBefore) {
      pipeline.onBoardFrameEvent(channel, timestampTicks + OFFSET_TICKS, energyAdc, flags, lostTriggersBefore);
    }

    @Override
    public void onEventsEnd(int boardId, long sequence) {
      pipeline.endBatch();
    }

    @Override
    public void onStatus(int boardId, long sequence, long boardTimeTicks, long realTimeTicks, int reactorState,
        long reactorPowerPpm, int channelCount) {}

    @Override
    public void onChannelStatus(int channel, long liveTimeTicks, long deadTimeTicks, long acceptedTriggers,
        long lostTriggers) {}

    @Override
    public void onGoodbye(int boardId, long sequence, int reasonCode) {}
  }
}
