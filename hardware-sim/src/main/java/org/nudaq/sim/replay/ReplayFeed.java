package org.nudaq.sim.replay;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.LockSupport;
import org.nudaq.monitor.wire.FrameDescriptor;
import org.nudaq.sim.server.Pacing;

/**
 * Reads one board's recorded items on its own thread and queues them (bounded: a client that reads
 * slowly holds the reader back, nothing is dropped) for the board's {@link ReplayLink}, paced
 * against the recorded detector time.
 *
 * <p>Pacing: the board time of HELLO and STATUS frames (u64 ticks × the HELLO's tick length) is the
 * recorded detector time. With a factor {@code accel}, a HELLO or STATUS frame is queued no earlier
 * than {@code (boardTime − boardTime of the first HELLO) / accel} after the replay started; frames
 * in between follow as soon as the preceding one is queued (so EVENTS frames go out in bursts of one
 * STATUS period). A HELLO whose board time went back (the recorded board restarted) starts a new
 * origin. With {@code max} nothing waits but the client.
 *
 * <p>Thread-safety: {@link #poll} and {@link #peek} from the link's event loop, the rest from the
 * feed's own thread.
 */
final class ReplayFeed implements Runnable {
  /** Queued after the session's last item. */
  static final ReplayItem END = new ReplayItem(new byte[0], 0);

  private final ReplayJournal journal;
  private final int boardId;
  private final Pacing pacing;
  private final BlockingQueue<ReplayItem> queue = new ArrayBlockingQueue<>(1024);
  private volatile Runnable listener = () -> {};
  private volatile Throwable failure;

  ReplayFeed(ReplayJournal journal, int boardId, Pacing pacing) {
    this.journal = journal;
    this.boardId = boardId;
    this.pacing = pacing;
  }

  void setListener(Runnable listener) {
    this.listener = listener;
  }

  ReplayItem peek() {
    return queue.peek();
  }

  ReplayItem poll() {
    return queue.poll();
  }

  /** Why the feed stopped early (a journal read error), or null. */
  Throwable failure() {
    return failure;
  }

  @Override
  public void run() {
    try (ReplayJournal.BoardCursor cursor = journal.cursor(boardId)) {
      long startNanos = System.nanoTime();
      long originTicks = -1;
      long tickPs = 0;
      for (ReplayItem item = cursor.next(); item != null; item = cursor.next()) {
        if (!pacing.isMax() && !item.isLinkDown() && item.frame().length >= FrameDescriptor.PAYLOAD_OFFSET + 8) {
          int type = item.frame()[FrameDescriptor.TYPE_OFFSET] & 0xFF;
          if (type == FrameDescriptor.TYPE_HELLO || type == FrameDescriptor.TYPE_STATUS) {
            long boardTicks = u64(item.frame(), FrameDescriptor.PAYLOAD_OFFSET);
            if (type == FrameDescriptor.TYPE_HELLO) {
              tickPs = u32(item.frame(), FrameDescriptor.HELLO_TICK_LENGTH_PS_OFFSET);
              if (originTicks < 0 || boardTicks < originTicks) {
                originTicks = boardTicks;
                startNanos = System.nanoTime();
              }
            }
            if (originTicks >= 0) {
              double detectorNs = (double) (boardTicks - originTicks) * tickPs / 1000.0;
              waitUntil(startNanos + (long) (detectorNs / pacing.accel()));
            }
          }
        }
        put(item);
      }
    } catch (RuntimeException e) {
      failure = e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    try {
      put(END);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void put(ReplayItem item) throws InterruptedException {
    queue.put(item);
    listener.run();
  }

  private static void waitUntil(long dueNanos) throws InterruptedException {
    long left;
    while ((left = dueNanos - System.nanoTime()) > 0) {
      LockSupport.parkNanos(left);
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
    }
  }

  private static long u64(byte[] b, int at) {
    long v = 0;
    for (int i = 7; i >= 0; i--) {
      v = (v << 8) | (b[at + i] & 0xFFL);
    }
    return v;
  }

  private static long u32(byte[] b, int at) {
    return u64of4(b, at);
  }

  private static long u64of4(byte[] b, int at) {
    return (b[at] & 0xFFL) | (b[at + 1] & 0xFFL) << 8 | (b[at + 2] & 0xFFL) << 16 | (b[at + 3] & 0xFFL) << 24;
  }
}
