package org.nudaq.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FrameQueueTest {
  private static ByteBuf frame(int size, int fill) {
    byte[] b = new byte[size];
    java.util.Arrays.fill(b, (byte) fill);
    return Unpooled.wrappedBuffer(b);
  }

  @Test
  void deliversCopiesInOrderWithTheirBoardAndGap() {
    FrameQueue q = new FrameQueue(4, 1 << 20);
    ByteBuf a = frame(10, 1);
    assertThat(q.offer(3, a, 0)).isTrue();
    a.setByte(0, 99); // the queue holds a copy
    assertThat(q.offer(4, frame(20, 2), 5)).isTrue();
    FrameQueue.Slot s = q.poll();
    assertThat(s.boardId()).isEqualTo(3);
    assertThat(s.length()).isEqualTo(10);
    assertThat(s.data()[0]).isEqualTo((byte) 1);
    q.release(s);
    s = q.poll();
    assertThat(s.boardId()).isEqualTo(4);
    assertThat(s.framesLostBefore()).isEqualTo(5);
    q.release(s);
    assertThat(q.poll()).isNull();
  }

  @Test
  void refusesWhenFullAndCallsBackOnceBelowHalf() {
    FrameQueue q = new FrameQueue(4, 1 << 20);
    for (int i = 0; i < 4; i++) {
      assertThat(q.offer(0, frame(10, i), 0)).isTrue();
    }
    assertThat(q.offer(0, frame(10, 9), 0)).isFalse();
    AtomicInteger called = new AtomicInteger();
    q.whenSpace(called::incrementAndGet);
    q.release(q.poll());
    assertThat(called.get()).as("3 of 4 still queued: not yet").isZero();
    q.release(q.poll());
    assertThat(called.get()).isEqualTo(1);
    assertThat(q.refusals()).isEqualTo(1);
  }

  @Test
  void boundsTheBytesHeldButAlwaysTakesOneFrame() {
    FrameQueue q = new FrameQueue(16, 100);
    assertThat(q.offer(0, frame(150, 1), 0)).as("a frame larger than the budget into an empty queue").isTrue();
    assertThat(q.offer(0, frame(10, 1), 0)).isFalse();
    assertThat(q.queuedBytes()).isEqualTo(150);
    q.release(q.poll());
    assertThat(q.queuedBytes()).isZero();
    assertThat(q.offer(0, frame(60, 1), 0)).isTrue();
    assertThat(q.offer(0, frame(60, 1), 0)).isFalse();
  }

  @Test
  void aWaiterWhoseEventLoopIsShutDownDoesNotStopTheOthersNorTheConsumer() {
    FrameQueue q = new FrameQueue(2, 1 << 20);
    q.offer(0, frame(10, 0), 0);
    q.offer(0, frame(10, 1), 0);
    io.netty.channel.DefaultEventLoop stopped = new io.netty.channel.DefaultEventLoop();
    stopped.shutdownGracefully().syncUninterruptibly();
    AtomicInteger called = new AtomicInteger();
    q.whenSpace(() -> stopped.execute(called::incrementAndGet)); // as a link does, after the daemon stopped Netty
    q.whenSpace(called::incrementAndGet);
    q.release(q.poll()); // the consumer thread: must not throw
    assertThat(called.get()).as("the second waiter still ran").isEqualTo(1);
    q.release(q.poll());
  }

  @Test
  void aWaiterRegisteredAfterSpaceFreedRunsAtOnce() {
    FrameQueue q = new FrameQueue(2, 1 << 20);
    AtomicInteger called = new AtomicInteger();
    q.whenSpace(called::incrementAndGet);
    assertThat(called.get()).isEqualTo(1);
  }

  @Test
  void capacityStaysTheConfiguredBoundWhileAProducerAndTheConsumerRace() throws Exception {
    // CI once read 4097 of 4096: the capacity was size + remaining, two reads a poll could fall between
    FrameQueue q = new FrameQueue(8, 1 << 20);
    java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
    Thread producer = new Thread(() -> {
      while (!stop.get()) {
        q.offer(0, frame(8, 0), 0);
      }
    });
    Thread consumer = new Thread(() -> {
      while (!stop.get()) {
        FrameQueue.Slot s = q.poll();
        if (s != null) {
          q.release(s);
        }
      }
    });
    producer.start();
    consumer.start();
    try {
      for (int i = 0; i < 200_000; i++) {
        assertThat(q.capacityFrames()).isEqualTo(8);
        assertThat(q.size()).isBetween(0, 8);
      }
    } finally {
      stop.set(true);
      producer.join();
      consumer.join();
    }
  }

  @Test
  void linkStateChangesTravelInOrderWithFrames() {
    FrameQueue q = new FrameQueue(4, 1 << 20);
    q.linkState(1, true);
    q.offer(1, frame(8, 0), 0);
    q.linkState(1, false);
    assertThat(q.poll().linkState()).isEqualTo(1);
    assertThat(q.poll().linkState()).isZero();
    assertThat(q.poll().linkState()).isEqualTo(-1);
  }

  @Test
  void maximumSizeFramesThroughEverySlotKeepTheHeapWithinTheBoundInBytes() {
    long bound = 8L << 20;
    FrameQueue q = FrameQueue.forBytes(bound);
    ByteBuf big = frame(1 << 20, 7);
    ByteBuf small = frame(3000, 1);
    long maxHeap = 0;
    // Far more frames than slots, in and out, so every slot holds a large frame at some point.
    for (int round = 0; round < 5000; round++) {
      while (q.offer(0, round % 3 == 0 ? small : big, 0)) {
        maxHeap = Math.max(maxHeap, q.heapBytes());
      }
      FrameQueue.Slot s;
      int taken = 0;
      while (taken++ < 2 && (s = q.poll()) != null) {
        q.release(s);
      }
    }
    assertThat(q.maxBytes()).isEqualTo(bound);
    assertThat(maxHeap).as("heap held by the queue, bytes").isLessThanOrEqualTo(bound + (1 << 20));
    FrameQueue.Slot s;
    while ((s = q.poll()) != null) {
      q.release(s);
    }
    assertThat(q.heapBytes()).as("after draining: only the recycled buffers").isLessThanOrEqualTo(bound / 2);
  }
}
