package org.nudaq.server.compass;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.nudaq.monitor.config.BoardConfig;
import org.nudaq.monitor.config.CompassConfig;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.wire.BoardHello;
import org.nudaq.monitor.wire.FrameDescriptor;
import org.nudaq.monitor.wire.FrameWriter;

/**
 * Turns CoMPASS records from a live source into our wire frames, one EVENTS frame per mapped board at a
 * time, so that they are journaled and processed exactly like frames from a nudaq-protocol board
 * (FrameQueue, journal, PipelineInputs). Each record's CoMPASS (board, channel) becomes ours through
 * {@code compass.channels}, its picosecond time stamp board ticks ({@link PsToTicks}), its flags ours
 * ({@link CompassEventFlags}); fake records (board alarms included) and records of unmapped channels
 * are counted and not passed on, as {@link CompassImport} does. Frames carry this source's own
 * per-board sequence numbers (continued after the journal on a restart: {@link #resumeAfter}).
 *
 * <p>Allocation-free per record (one preallocated frame buffer per board). Single-threaded.
 */
public final class CompassFrameAssembler implements CompassRecordSink {

  /** Where finished frames go; the buffer is reused after the call returns. */
  public interface FrameOut {
    void frame(int boardId, ByteBuffer buffer, int length);
  }

  /** Events per EVENTS frame (16 kB frames, as a busy board's aggregates). */
  static final int EVENTS_PER_FRAME = 1000;

  /** For HELLO frames. */
  private final FrameWriter writer = new FrameWriter();
  /** One per board: a FrameWriter builds one EVENTS frame at a time. */
  private final FrameWriter[] writers;
  private final int[] boardIds;
  private final BoardConfig[] boards;
  private final ByteBuffer[] buffers;
  private final long[] sequence;
  private final boolean[] open;
  /** (CoMPASS board << 8 | channel) → (board index << 16 | our channel), or −1. */
  private final int[] map = new int[1 << 16];
  private final PsToTicks ticks;
  private FrameOut out;
  private long fake;
  private long unmapped;
  private long events;

  public CompassFrameAssembler(NudaqConfig config, FrameOut out) {
    this.out = out;
    List<BoardConfig> all = config.digitizer().boards();
    List<CompassConfig.ChannelMapping> channels = config.compass().channels();
    // Only the boards the channel map points at are this source's.
    java.util.List<BoardConfig> mine = new java.util.ArrayList<>();
    for (BoardConfig b : all) {
      if (channels.stream().anyMatch(m -> m.toBoard() == b.id())) {
        mine.add(b);
      }
    }
    int n = mine.size();
    boards = mine.toArray(new BoardConfig[0]);
    boardIds = new int[n];
    buffers = new ByteBuffer[n];
    sequence = new long[n];
    open = new boolean[n];
    writers = new FrameWriter[n];
    long[] tickPs = new long[n];
    for (int i = 0; i < n; i++) {
      boardIds[i] = boards[i].id();
      writers[i] = new FrameWriter();
      buffers[i] = ByteBuffer.allocate(FrameDescriptor.eventsFrameLength(EVENTS_PER_FRAME));
      tickPs[i] = Math.round(boards[i].tickNs() * 1000);
    }
    ticks = new PsToTicks(tickPs);
    Arrays.fill(map, -1);
    for (int i = 0; i < channels.size(); i++) {
      CompassConfig.ChannelMapping m = channels.get(i);
      int index = -1;
      for (int b = 0; b < n; b++) {
        if (boardIds[b] == m.toBoard()) {
          index = b;
        }
      }
      if (index < 0 || !CompassConfig.configured(config.digitizer(), m.toBoard(), m.toChannel())) {
        throw new IllegalArgumentException(config.source() + ": compass.channels[" + i + "]: board " + m.toBoard()
            + " channel " + m.toChannel() + " is not a configured digitizer channel");
      }
      map[(m.board() << 8) | m.channel()] = (index << 16) | m.toChannel();
    }
  }

  /** Sends later frames to {@code out} instead (a new connection's handler). */
  public void output(FrameOut out) {
    this.out = out;
  }

  /** Our board ids this source feeds. */
  public int[] boardIds() {
    return boardIds.clone();
  }

  /** Continues a board's sequence numbers after the last one journaled (crash recovery). */
  public void resumeAfter(int boardId, long lastSequence) {
    for (int i = 0; i < boardIds.length; i++) {
      if (boardIds[i] == boardId && lastSequence >= sequence[i]) {
        sequence[i] = lastSequence + 1;
      }
    }
  }

  /** A HELLO frame for every board (a new connection): the pipeline learns the tick lengths. */
  public void hello() {
    ByteBuffer scratch = ByteBuffer.allocate(FrameDescriptor.HELLO_FRAME_LENGTH);
    for (int i = 0; i < boards.length; i++) {
      BoardConfig b = boards[i];
      BoardHello hello = new BoardHello(0, Math.round(b.tickNs() * 1000), 0, 0, 0, b.channels().size(), b.adcBits(), 0);
      int length = writer.writeHello(scratch, 0, b.id(), sequence[i]++, hello);
      out.frame(b.id(), scratch, length);
    }
  }

  @Override
  public void onRecord(int board, int channel, long timestampPs, int energyAdc, int flags) {
    if ((flags & CompassDescriptor.FAKE_MASK) != 0) {
      fake++;
      return;
    }
    int key = map[(board << 8) | channel];
    if (key < 0) {
      unmapped++;
      return;
    }
    int b = key >>> 16;
    if (!open[b]) {
      writers[b].beginEvents(buffers[b], 0, boardIds[b], sequence[b]);
      open[b] = true;
    }
    writers[b].appendEvent(ticks.of(b, timestampPs), key & 0xFFFF, energyAdc, CompassEventFlags.of(flags), 0);
    events++;
    if (writers[b].eventCount() == EVENTS_PER_FRAME) {
      finish(b);
    }
  }

  private void finish(int b) {
    int length = writers[b].finishEvents();
    open[b] = false;
    sequence[b]++;
    out.frame(boardIds[b], buffers[b], length);
  }

  /** Sends what is open (the end of one read from the network). */
  public void flush() {
    for (int b = 0; b < open.length; b++) {
      if (open[b]) {
        finish(b);
      }
    }
  }

  /** Fake records (flags 0x8, board alarms) not passed on. */
  public long fake() {
    return fake;
  }

  /** Records of CoMPASS channels not in compass.channels (0 from the stream: those never pass its check). */
  public long unmapped() {
    return unmapped;
  }

  /** Events passed on in frames. */
  public long events() {
    return events;
  }
}
