package org.nudaq.monitor.wire;

import java.util.ArrayList;
import java.util.List;

/** Test visitor that keeps everything it is told, as readable lines. */
class RecordingVisitor implements FrameVisitor {

  final List<String> calls = new ArrayList<>();
  final List<BoardHello> hellos = new ArrayList<>();

  @Override
  public void onHello(int boardId, long sequence, BoardHello hello) {
    hellos.add(hello);
    calls.add("hello board=" + boardId + " seq=" + sequence);
  }

  @Override
  public void onEventsBegin(int boardId, long sequence, int eventCount) {
    calls.add("events board=" + boardId + " seq=" + sequence + " count=" + eventCount);
  }

  @Override
  public void onEvent(long timestampTicks, int channel, int energyAdc, int flags, int lostTriggersBefore) {
    calls.add("event t=" + timestampTicks + " ch=" + channel + " e=" + energyAdc + " flags=" + flags
        + " lost=" + lostTriggersBefore);
  }

  @Override
  public void onEventsEnd(int boardId, long sequence) {
    calls.add("end board=" + boardId + " seq=" + sequence);
  }

  @Override
  public void onStatus(int boardId, long sequence, long boardTimeTicks, long realTimeTicks,
      int reactorState, long reactorPowerPpm, int channelCount) {
    calls.add("status board=" + boardId + " seq=" + sequence + " time=" + boardTimeTicks
        + " real=" + realTimeTicks + " reactor=" + reactorState + (reactorPowerPpm != 0 ? " powerPpm=" + reactorPowerPpm : "")
        + " channels=" + channelCount);
  }

  @Override
  public void onChannelStatus(int channel, long liveTimeTicks, long deadTimeTicks,
      long acceptedTriggers, long lostTriggers) {
    calls.add("channel " + channel + " live=" + liveTimeTicks + " dead=" + deadTimeTicks
        + " accepted=" + acceptedTriggers + " lost=" + lostTriggers);
  }

  @Override
  public void onGoodbye(int boardId, long sequence, int reasonCode) {
    calls.add("goodbye board=" + boardId + " seq=" + sequence + " reason=" + reasonCode);
  }
}
