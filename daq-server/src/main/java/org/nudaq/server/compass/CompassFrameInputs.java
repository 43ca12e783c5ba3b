package org.nudaq.server.compass;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.nudaq.monitor.config.BoardConfig;
import org.nudaq.monitor.wire.BoardHello;
import org.nudaq.monitor.wire.BoardStatus;
import org.nudaq.monitor.wire.ChannelCounters;
import org.nudaq.monitor.wire.FrameDescriptor;
import org.nudaq.monitor.wire.FrameWriter;
import org.nudaq.server.pipeline.ReactorState;

/**
 * The inputs of a followed CoMPASS folder ({@link CompassFollow}) as wire frames: each batch of events
 * one EVENTS frame, each status one STATUS frame, numbered per board — so they are journaled and
 * processed exactly as a board's frames, and the pipeline gets the very calls an import of the finished
 * folder makes. Frames numbered up to {@code dropThrough} are made but not sent (a resume regenerates
 * the slab the journal ends in; what it already has is not sent twice); a HELLO goes before a board's
 * first frame at a fresh start and after the resume of a new session — at a recorded place in the
 * numbering, so that a resume numbers every frame as before. Reactor states go to {@link Output#reactor}.
 *
 * <p>Single-threaded (the follow's thread). One frame buffer per board, reused.
 */
final class CompassFrameInputs implements CompassInputs {

  /** Where the frames and reactor states go. */
  interface Output {
    /** A frame; the buffer is reused after the call returns. */
    void frame(int boardId, ByteBuffer buffer, int length);

    /** A reactor state from data time {@code effectiveTimeNs}, after every frame sent before it was processed. */
    void reactor(ReactorState state, double powerFraction, long effectiveTimeNs);
  }

  private final Output out;
  private final BoardConfig[] boards;
  /** Our board id → index, −1. */
  private final int[] index;
  private final FrameWriter writer = new FrameWriter();
  private final ByteBuffer[] buffers;
  private final ByteBuffer hello = ByteBuffer.allocate(FrameDescriptor.HELLO_FRAME_LENGTH);
  private final long[] next;
  private final long[] dropThrough;
  /** A HELLO goes before the first frame numbered above this (per board); {@link #NO_HELLO}: none pending. */
  private final long[] helloAfter;
  static final long NO_HELLO = -2;
  private int open = -1;
  private long openSequence;
  private final List<ChannelCounters> status = new ArrayList<>();
  private long statusTime;
  private long statusReal;
  private int statusState;

  CompassFrameInputs(List<BoardConfig> followed, Output out) {
    this.out = out;
    boards = followed.toArray(new BoardConfig[0]);
    int max = 0;
    for (BoardConfig b : boards) {
      max = Math.max(max, b.id());
    }
    index = new int[max + 1];
    java.util.Arrays.fill(index, -1);
    buffers = new ByteBuffer[boards.length];
    next = new long[boards.length];
    dropThrough = new long[boards.length];
    helloAfter = new long[boards.length];
    for (int i = 0; i < boards.length; i++) {
      index[boards[i].id()] = i;
      buffers[i] = ByteBuffer.allocate(FrameDescriptor.eventsFrameLength(CompassFeed.SLAB_FILE_MAX_RECORDS));
      dropThrough[i] = -1;
      helloAfter[i] = -1; // a fresh start: HELLO first
    }
  }

  /**
   * Frame sequence numbers from here on: {@code next[i]} for board i, frames up to {@code dropThrough[i]}
   * not sent, a HELLO before the first frame numbered above {@code helloAfterSequence[i]} ({@link #NO_HELLO}: none).
   */
  void resume(long[] nextSequence, long[] dropThroughSequence, long[] helloAfterSequence) {
    System.arraycopy(nextSequence, 0, next, 0, next.length);
    System.arraycopy(dropThroughSequence, 0, dropThrough, 0, next.length);
    System.arraycopy(helloAfterSequence, 0, helloAfter, 0, next.length);
  }

  /** The pending HELLO thresholds per board ({@link #NO_HELLO}: none). */
  long[] helloAfter() {
    return helloAfter.clone();
  }

  /** The next sequence number per board (in the order of the boards given). */
  long[] nextSequence() {
    return next.clone();
  }

  /** Numbers the next frame of board i, sending the HELLO first if one is due. */
  private long number(int i) {
    if (helloAfter[i] != NO_HELLO && next[i] > helloAfter[i]) {
      BoardConfig b = boards[i];
      BoardHello h = new BoardHello(0, Math.round(b.tickNs() * 1000), 0, 0, 0, b.channels().size(), b.adcBits(), 0);
      long sequence = next[i]++;
      int length = writer.writeHello(hello, 0, b.id(), sequence, h);
      send(i, hello, length, sequence);
      helloAfter[i] = NO_HELLO;
    }
    return next[i]++;
  }

  private void send(int i, ByteBuffer buffer, int length, long sequence) {
    if (sequence > dropThrough[i]) {
      out.frame(boards[i].id(), buffer, length);
    }
  }

  @Override
  public void beginBoardFrame(int boardId) {
    open = index[boardId];
    openSequence = number(open);
    writer.beginEvents(buffers[open], 0, boardId, openSequence);
  }

  @Override
  public void onBoardFrameEvent(int channel, long timestampTicks, int energyAdc, int flags, int lostTriggersBefore) {
    writer.appendEvent(timestampTicks, channel, energyAdc, flags, lostTriggersBefore);
  }

  @Override
  public void endBatch() {
    int length = writer.finishEvents();
    send(open, buffers[open], length, openSequence);
    open = -1;
  }

  @Override
  public void onStatusBegin(int boardId, long boardTimeTicks, long realTimeTicks, int reactorState) {
    status.clear();
    statusTime = boardTimeTicks;
    statusReal = realTimeTicks;
    statusState = reactorState;
  }

  @Override
  public void onStatusChannel(int boardId, int channel, long liveTicks, long deadTicks, long acceptedTriggers, long lostTriggers) {
    status.add(new ChannelCounters(channel, liveTicks, deadTicks, acceptedTriggers, lostTriggers));
  }

  @Override
  public void onStatusEnd(int boardId) {
    int i = index[boardId];
    long sequence = number(i);
    int length = writer.writeStatus(buffers[i], 0, boardId, sequence, new BoardStatus(statusTime, statusReal, statusState, status));
    send(i, buffers[i], length, sequence);
  }

  @Override
  public void setReactorState(ReactorState state, double powerFraction, long effectiveTimeNs) {
    out.reactor(state, powerFraction, effectiveTimeNs);
  }
}
