package org.nudaq.server.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.nudaq.server.reactor.ReactorTimelineFollower;

/**
 * The reactor timeline file the daemon follows ({@code ./nudaq run --reactor-timeline}): transitions
 * applied, bad lines skipped, reads that failed — so a plant log that goes wrong shows on the
 * dashboards, not only in the log. Thread-safe (the follower's counters are atomic).
 */
public final class ReactorTimelineMetrics implements MeterBinder {
  private final ReactorTimelineFollower follower;
  private final Iterable<Tag> tags;

  public ReactorTimelineMetrics(ReactorTimelineFollower follower, Iterable<Tag> tags) {
    this.follower = follower;
    this.tags = tags;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    FunctionCounter.builder("nudaq.reactor.timeline.transitions", follower, ReactorTimelineFollower::transitions)
        .description("Reactor timeline lines handed to the pipeline").tags(tags).register(registry);
    FunctionCounter.builder("nudaq.reactor.timeline.bad.lines", follower, ReactorTimelineFollower::badLines)
        .description("Reactor timeline lines skipped as unreadable (unknown state, times out of order, ...)").tags(tags)
        .register(registry);
    FunctionCounter.builder("nudaq.reactor.timeline.read.failures", follower, ReactorTimelineFollower::readFailures)
        .description("Reads of the reactor timeline file that failed (missing, unreadable)").tags(tags).register(registry);
  }
}
