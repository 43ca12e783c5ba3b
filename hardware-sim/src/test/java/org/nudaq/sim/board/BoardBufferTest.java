package org.nudaq.sim.board;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nudaq.monitor.wire.BoardStatus;
import org.nudaq.sim.wire.EventBatch;

/** The STATUS quota of the board buffer: what is dropped, what is held, and the order things leave in. */
class BoardBufferTest {
  private static final int OFF = 0;
  private static final int ON = 1;

  private static BoardStatus status(long ticks, int state) {
    return new BoardStatus(ticks, ticks, state, List.of());
  }

  private static List<BoardStatus> drainStatus(BoardBuffer buffer) {
    List<BoardStatus> out = new ArrayList<>();
    Object o;
    while ((o = buffer.poll()) != null) {
      if (o instanceof BoardStatus s) {
        out.add(s);
      } else {
        buffer.release((EventBatch) o);
      }
    }
    return out;
  }

  @Test
  void overTheQuotaTheLatestUnchangedStatusIsHeldAndSentLastAndAChangeIsAlwaysQueued() {
    BoardBuffer buffer = new BoardBuffer(1024, 64, false);
    for (long t = 1; t <= BoardBuffer.STATUS_QUOTA; t++) {
      assertThat(buffer.publishStatus(status(t, ON))).isTrue();
    }
    long t0 = BoardBuffer.STATUS_QUOTA;
    assertThat(buffer.publishStatus(status(t0 + 1, ON))).as("over the quota, same state").isFalse();
    assertThat(buffer.publishStatus(status(t0 + 2, ON))).isFalse();
    assertThat(buffer.publishStatus(status(t0 + 3, OFF))).as("a change is queued over the quota").isTrue();
    assertThat(buffer.publishStatus(status(t0 + 4, OFF))).isFalse();
    assertThat(buffer.publishStatus(status(t0 + 5, OFF))).isFalse();
    List<BoardStatus> sent = drainStatus(buffer);
    // The held t0 + 2 was superseded by the queued change at t0 + 3; t0 + 5 is held and sent last.
    assertThat(sent).hasSize(BoardBuffer.STATUS_QUOTA + 2);
    assertThat(sent.subList(sent.size() - 2, sent.size())).containsExactly(status(t0 + 3, OFF), status(t0 + 5, OFF));
    for (int i = 1; i < sent.size(); i++) {
      assertThat(sent.get(i).realTimeTicks()).as("in time order").isGreaterThan(sent.get(i - 1).realTimeTicks());
    }
    // Drained: the quota is free again.
    assertThat(buffer.publishStatus(status(t0 + 6, OFF))).isTrue();
    assertThat(drainStatus(buffer)).containsExactly(status(t0 + 6, OFF));
  }

  @Test
  void aHeldStatusWaitsBehindEverythingQueuedAndPeekShowsIt() {
    BoardBuffer buffer = new BoardBuffer(1024, 64, false);
    for (long t = 1; t <= BoardBuffer.STATUS_QUOTA; t++) {
      buffer.publishStatus(status(t, ON));
    }
    assertThat(buffer.publishStatus(status(10_000, ON))).isFalse();
    EventBatch aggregate = buffer.acquire();
    aggregate.add(20_000, 0, 100, 0, 0);
    buffer.publish(aggregate);
    for (int i = 0; i < BoardBuffer.STATUS_QUOTA; i++) {
      assertThat(buffer.poll()).isInstanceOf(BoardStatus.class);
    }
    assertThat(buffer.poll()).as("the aggregate queued after the drop").isSameAs(aggregate);
    buffer.release(aggregate);
    assertThat(buffer.peek()).isEqualTo(status(10_000, ON));
    assertThat(buffer.poll()).isEqualTo(status(10_000, ON));
    assertThat(buffer.peek()).isNull();
    assertThat(buffer.poll()).isNull();
  }
}
