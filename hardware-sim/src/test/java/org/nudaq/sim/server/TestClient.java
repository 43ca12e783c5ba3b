package org.nudaq.sim.server;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nudaq.monitor.wire.BoardHello;
import org.nudaq.monitor.wire.EventFlags;
import org.nudaq.monitor.wire.FrameDescriptor;
import org.nudaq.monitor.wire.FrameReader;
import org.nudaq.monitor.wire.FrameVisitor;
import org.nudaq.monitor.wire.WireError;
import org.nudaq.monitor.wire.WireFormatException;

/**
 * A minimal daemon-side reader for tests: plain blocking socket + the monitor's {@link FrameReader},
 * which checks magic, version, length and CRC. Reads one connection until GOODBYE, EOF or the first
 * invalid frame, and keeps what a daemon would count: events per channel, sequence gaps and
 * duplicates, flags, the last STATUS counters.
 */
final class TestClient implements FrameVisitor {
  final List<Long> helloSequences = new ArrayList<>();
  final Map<Integer, Long> eventsByChannel = new HashMap<>();
  final Map<Integer, Long> lostFlaggedByChannel = new HashMap<>();
  final Map<Integer, Long> rolloverFlagsByChannel = new HashMap<>();
  final Map<Integer, long[]> lastStatusByChannel = new HashMap<>(); // live, dead, accepted, lost
  final List<WireError> errors = new ArrayList<>();
  long lastSequence = -1;
  long sequenceGaps; // frames missing between consecutive sequence numbers inside a connection
  long duplicateSequences;
  long connectionsEndedWithoutGoodbye; // after a HELLO, EOF at a frame boundary
  long refusedConnections; // closed by the board before any byte
  long frames;
  long statusFrames;
  long lastStatusBoardTime;
  int lastReactorState = -1;
  boolean goodbye;
  BoardHello hello;
  private boolean helloSeen;
  private final FrameReader reader = new FrameReader();

  /** Reads one connection; returns when it ends. Stops after {@code maxFrames} frames (then closes). */
  void readConnection(InetSocketAddress at, long maxFrames) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(at, 5_000);
      s.setSoTimeout(30_000);
      DataInputStream in = new DataInputStream(s.getInputStream());
      byte[] buf = new byte[FrameDescriptor.MAX_FRAME_LENGTH];
      helloSeen = false;
      long framesHere = 0;
      while (framesHere < maxFrames) {
        int got = readUpTo(in, buf, 0, FrameDescriptor.PREFIX_LENGTH);
        if (got < FrameDescriptor.PREFIX_LENGTH) {
          if (got > 0) {
            // Frames start with the magic's 0x4E; garbage never does.
            errors.add(buf[0] == 0x4E ? WireError.TRUNCATED : WireError.BAD_MAGIC);
          } else if (helloSeen) {
            connectionsEndedWithoutGoodbye++;
          } else {
            refusedConnections++;
          }
          return;
        }
        ByteBuffer bb = ByteBuffer.wrap(buf);
        int length;
        try {
          length = FrameReader.validatePrefix(bb, 0);
        } catch (WireFormatException e) {
          errors.add(e.reason());
          return;
        }
        int rest = readUpTo(in, buf, FrameDescriptor.PREFIX_LENGTH, length - FrameDescriptor.PREFIX_LENGTH);
        try {
          reader.decode(bb, 0, FrameDescriptor.PREFIX_LENGTH + rest, this);
        } catch (WireFormatException e) {
          errors.add(e.reason());
          return;
        }
        framesHere++;
        frames++;
        if (goodbye) {
          return;
        }
      }
    }
  }

  private static int readUpTo(DataInputStream in, byte[] buf, int off, int n) throws IOException {
    int done = 0;
    while (done < n) {
      int r = in.read(buf, off + done, n - done);
      if (r < 0) {
        return done;
      }
      done += r;
    }
    return done;
  }

  private void sequence(long seq) {
    if (lastSequence >= 0) {
      if (seq == lastSequence) {
        duplicateSequences++;
      } else if (seq > lastSequence + 1) {
        sequenceGaps += seq - lastSequence - 1;
      }
    }
    lastSequence = seq;
  }

  @Override
  public void onHello(int boardId, long sequence, BoardHello h) {
    helloSequences.add(sequence);
    hello = h;
    helloSeen = true;
    lastSequence = sequence; // a new connection: the gap to the previous one is in-flight loss, not counted here
  }

  @Override
  public void onEventsBegin(int boardId, long sequence, int eventCount) {
    if (!helloSeen) {
      throw new AssertionError("EVENTS before HELLO");
    }
    sequence(sequence);
  }

  @Override
  public void onEvent(long timestampTicks, int channel, int energyAdc, int flags, int lostTriggersBefore) {
    eventsByChannel.merge(channel, 1L, Long::sum);
    if ((flags & EventFlags.LOST_TRIGGERS_BEFORE) != 0) {
      lostFlaggedByChannel.merge(channel, (long) lostTriggersBefore, Long::sum);
    }
    if ((flags & EventFlags.TIMESTAMP_ROLLOVER) != 0) {
      rolloverFlagsByChannel.merge(channel, 1L, Long::sum);
    }
  }

  @Override
  public void onStatus(int boardId, long sequence, long boardTimeTicks, long realTimeTicks, int reactorState, long reactorPowerPpm, int channelCount) {
    sequence(sequence);
    statusFrames++;
    lastStatusBoardTime = boardTimeTicks;
    lastReactorState = reactorState;
  }

  @Override
  public void onChannelStatus(int channel, long live, long dead, long accepted, long lost) {
    lastStatusByChannel.put(channel, new long[] {live, dead, accepted, lost});
  }

  @Override
  public void onGoodbye(int boardId, long sequence, int reasonCode) {
    sequence(sequence);
    goodbye = true;
  }

  long events(int channel) {
    return eventsByChannel.getOrDefault(channel, 0L);
  }
}
