package org.nudaq.server.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** How {@link ReplayTasks} reports a failed task: after the others ended, the later failures suppressed. */
class ReplayTasksTest {

  @Test
  void aFailureIsThrownAfterTheOtherTasksEndedWithTheirFailuresSuppressed() {
    CountDownLatch firstFailing = new CountDownLatch(1);
    AtomicBoolean secondEnded = new AtomicBoolean();
    Callable<Integer> first = () -> {
      firstFailing.countDown();
      throw new IllegalArgumentException("first");
    };
    Callable<Integer> second = () -> {
      assertThat(firstFailing.await(60, TimeUnit.SECONDS)).isTrue();
      secondEnded.set(true);
      throw new IllegalStateException("second");
    };

    Throwable thrown = catchThrowable(() -> ReplayTasks.runAll(List.of(first, second), 2, "test-replay"));

    assertThat(thrown).isInstanceOf(IllegalArgumentException.class).hasMessage("first");
    assertThat(secondEnded).isTrue();
    assertThat(thrown.getSuppressed()).singleElement()
        .isInstanceOf(IllegalStateException.class)
        .extracting(Throwable::getMessage).isEqualTo("second");
  }

  @Test
  void resultsComeInTheOrderOfTheTasks() {
    List<Callable<Integer>> tasks = List.of(() -> 1, () -> 2, () -> 3);
    assertThat(ReplayTasks.runAll(tasks, 2, "test-replay")).containsExactly(1, 2, 3);
  }
}
