package org.nudaq.server.journal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.nudaq.monitor.wire.FrameDescriptor;
import org.nudaq.server.pipeline.StateReader;
import org.nudaq.server.pipeline.StateWriter;

/**
 * What recovery needs to know about a session's journaled frames besides the pipeline state: the last
 * frame sequence number of each board (sequence tracking resumes after it, so frames lost while the
 * daemon was down show as a gap) and how many frames and events were journaled. Kept by the pipeline
 * thread as it journals ({@code checkpoint.ProgressRecorder}) and by {@link JournalPlayer} as it replays;
 * saved in each checkpoint with the pipeline.
 *
 * <p>Single-threaded; allocation-free per frame (the board table grows only for a board not seen yet).
 */
public final class SessionProgress {
  private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final int STATE_TAG = StateWriter.tag("PROG");
  /** A board id limit for restores (board ids are u16 on the wire); guards the table size. */
  private static final int MAX_BOARDS = 1 << 16;

  private int[] boardIds = new int[4];
  private long[] lastSequence = new long[4];
  private int boards;
  private long frames;
  private long events;

  /** A journaled frame of {@code boardId}: its bytes are {@code data[0, length)}. */
  public void onFrame(int boardId, byte[] data, int length) {
    frames++;
    if (length < FrameDescriptor.HEADER_LENGTH) {
      return;
    }
    setLastSequence(boardId, (long) LONG_LE.get(data, FrameDescriptor.SEQUENCE_OFFSET));
    if ((data[FrameDescriptor.TYPE_OFFSET] & 0xFF) == FrameDescriptor.TYPE_EVENTS && length >= FrameDescriptor.EVENTS_FIRST_RECORD_OFFSET) {
      events += (int) INT_LE.get(data, FrameDescriptor.EVENTS_COUNT_OFFSET) & 0xFFFFFFFFL;
    }
  }

  private void setLastSequence(int boardId, long sequence) {
    for (int i = 0; i < boards; i++) {
      if (boardIds[i] == boardId) {
        lastSequence[i] = sequence;
        return;
      }
    }
    if (boards == boardIds.length) {
      boardIds = Arrays.copyOf(boardIds, 2 * boards);
      lastSequence = Arrays.copyOf(lastSequence, 2 * boards);
    }
    boardIds[boards] = boardId;
    lastSequence[boards] = sequence;
    boards++;
  }

  /** Whether the board has a journaled frame in the session. */
  public boolean hasBoard(int boardId) {
    for (int i = 0; i < boards; i++) {
      if (boardIds[i] == boardId) {
        return true;
      }
    }
    return false;
  }

  /** The sequence number of the board's last journaled frame, or −1 if it has none in the session ({@link #hasBoard}). */
  public long lastSequence(int boardId) {
    for (int i = 0; i < boards; i++) {
      if (boardIds[i] == boardId) {
        return lastSequence[i];
      }
    }
    return -1;
  }

  /** Frames journaled in the session. */
  public long frames() {
    return frames;
  }

  /** Events in the EVENTS frames journaled in the session (as their headers count them). */
  public long events() {
    return events;
  }

  /** Becomes a copy of {@code other}. */
  public void copyFrom(SessionProgress other) {
    boardIds = other.boardIds.clone();
    lastSequence = other.lastSequence.clone();
    boards = other.boards;
    frames = other.frames;
    events = other.events;
  }

  /** Back to an empty session. */
  public void clear() {
    boards = 0;
    frames = 0;
    events = 0;
  }

  public void saveState(StateWriter out) {
    out.section(STATE_TAG);
    out.putLong(frames);
    out.putLong(events);
    out.putInt(boards);
    for (int i = 0; i < boards; i++) {
      out.putInt(boardIds[i]);
      out.putLong(lastSequence[i]);
    }
  }

  public void restoreState(StateReader in) {
    in.section(STATE_TAG, "session progress");
    frames = in.getLong();
    events = in.getLong();
    int n = in.getCount("progress.boards", MAX_BOARDS);
    boardIds = new int[Math.max(4, n)];
    lastSequence = new long[Math.max(4, n)];
    boards = n;
    for (int i = 0; i < n; i++) {
      boardIds[i] = in.getInt();
      lastSequence[i] = in.getLong();
    }
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("SessionProgress[frames=").append(frames).append(", events=").append(events);
    for (int i = 0; i < boards; i++) {
      b.append(", board").append(boardIds[i]).append(".lastSequence=").append(lastSequence[i]);
    }
    return b.append(']').toString();
  }
}
