package org.nudaq.server.ingest;

import java.nio.ByteBuffer;
import org.nudaq.monitor.wire.BoardHello;
import org.nudaq.monitor.wire.FrameVisitor;
import org.nudaq.server.pipeline.EventPipeline;

/**
 * Feeds the contents of decoded frames into the {@link EventPipeline}. Allocation-free per event.
 * Pipeline thread only.
 */
final class PipelineFrameVisitor implements FrameVisitor {
  private final EventPipeline pipeline;
  private int board;
  private boolean statusOpen;
  private long goodbyes;

  PipelineFrameVisitor(EventPipeline pipeline) {
    this.pipeline = pipeline;
  }

  @Override
  public void onHello(int boardId, long sequence, BoardHello hello) {
    pipeline.onHello(boardId, hello.tickLengthPs());
  }

  @Override
  public void onEventsBegin(int boardId, long sequence, int eventCount) {
    board = boardId;
    pipeline.beginBoardFrame(boardId);
  }

  @Override
  public void onEventsEnd(int boardId, long sequence) {
    pipeline.endBatch();
  }

  @Override
  public void onEvent(long timestampTicks, int channel, int energyAdc, int flags, int lostTriggersBefore) {
    pipeline.onBoardFrameEvent(channel, timestampTicks, energyAdc, flags, lostTriggersBefore);
  }

  @Override
  public void onEventRecords(ByteBuffer buffer, int offset, int count) {
    pipeline.onBoardFrameEvents(buffer, offset, count, 0); // straight into the merge, a run at a time
  }

  @Override
  public void onStatus(int boardId, long sequence, long boardTimeTicks, long realTimeTicks, int reactorState, long reactorPowerPpm, int channelCount) {
    board = boardId;
    statusOpen = true;
    if (reactorPowerPpm == 0) {
      pipeline.onStatusBegin(boardId, boardTimeTicks, realTimeTicks, reactorState); // power not reported: the state's default
    } else {
      pipeline.onStatusBegin(boardId, boardTimeTicks, realTimeTicks, reactorState, reactorPowerPpm * 1e-6);
    }
  }

  @Override
  public void onChannelStatus(int channel, long liveTimeTicks, long deadTimeTicks, long acceptedTriggers, long lostTriggers) {
    pipeline.onStatusChannel(board, channel, liveTimeTicks, deadTimeTicks, acceptedTriggers, lostTriggers);
  }

  @Override
  public void onGoodbye(int boardId, long sequence, int reasonCode) {
    goodbyes++;
  }

  /** Closes a STATUS frame once the reader has visited all its channels. */
  void endOfFrame() {
    if (statusOpen) {
      statusOpen = false;
      pipeline.onStatusEnd(board);
    }
  }

  long goodbyes() {
    return goodbyes;
  }
}
