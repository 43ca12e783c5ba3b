package org.nudaq.server.reactor;

import java.time.Instant;
import org.nudaq.server.pipeline.ReactorState;

/**
 * One line of a reactor timeline: from {@code at} on, the reactor is in {@code state} at
 * {@code powerFraction} of its nominal thermal power (until the next transition). Immutable.
 *
 * @param at            when it holds from (UTC instant)
 * @param state         ON, OFF or UNKNOWN
 * @param powerFraction thermal power as a fraction of the configured nominal power (≥ 0; 1 = nominal)
 * @param line          the line of the file it came from (1-based), for messages
 */
public record ReactorTransition(Instant at, ReactorState state, double powerFraction, int line) {}
