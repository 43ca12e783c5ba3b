package org.nudaq.server.replay;

import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.locks.LockSupport;
import org.nudaq.monitor.config.ConfigLoader;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.server.ingest.PipelineInputs;
import org.nudaq.server.calibration.CalibrationHistory;
import org.nudaq.server.calibration.OnlineCalibration;
import org.nudaq.server.journal.JournalPlayer;
import org.nudaq.server.journal.JournalReader;
import org.nudaq.server.journal.JournalSession;
import org.nudaq.server.journal.JournalVisitor;
import org.nudaq.server.pipeline.EventPipeline;

/**
 * Replays one journal session through a fresh {@link EventPipeline} with the same input calls as the
 * live daemon ({@link JournalPlayer} → {@code PipelineInputs}): with the session's own configuration
 * the spectra and live times are bit-identical to the live ones; with another, its cuts apply.
 *
 * <p>Single-threaded; stateless between calls.
 */
public final class JournalReplay {

  /**
   * How fast: {@code max} (as fast as the pipeline goes) or a factor of the recorded pace
   * ({@code 1} = as recorded, {@code 10} = ten times faster).
   */
  public record Pace(double factor) {
    public static Pace max() {
      return new Pace(Double.POSITIVE_INFINITY);
    }

    /** Parses {@code max} or a positive factor. */
    public static Pace parse(String s) {
      if (s.equalsIgnoreCase("max")) {
        return max();
      }
      double f;
      try {
        f = Double.parseDouble(s);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--pace must be max or a positive factor, got '" + s + "'");
      }
      if (!(f > 0)) {
        throw new IllegalArgumentException("--pace must be max or a positive factor, got '" + s + "'");
      }
      return new Pace(f);
    }
  }

  /** The configuration a session ran with, parsed from the text journaled at its start. */
  public static NudaqConfig sessionConfig(JournalSession session) {
    if (session.configYaml().isEmpty()) {
      throw new IllegalArgumentException("the journal session at index 0x" + Long.toHexString(session.startIndex())
          + " has no configuration text; give --config");
    }
    return new ConfigLoader().parse("journal:" + session.configSource(), session.configYaml());
  }

  /**
   * Replays {@code session} of the journal in {@code dir} with {@code config}, frames appended in
   * [{@code fromEpochMs}, {@code toEpochMs}) only, at {@code pace}.
   */
  public ReplayResult replay(Path dir, JournalSession session, NudaqConfig config, long fromEpochMs, long toEpochMs, Pace pace) {
    return replay(dir, session, config, fromEpochMs, toEpochMs, pace, false, new CalibrationHistory());
  }

  /**
   * As above; issue 17: the journaled calibrations are applied where they were (and recorded in {@code history}),
   * or, with {@code recalibrate}, ignored and the calibration done again from scratch with {@code config}'s
   * calibration section (fits inline at each interval, so the same journal and settings give the same epochs).
   */
  public ReplayResult replay(Path dir, JournalSession session, NudaqConfig config, long fromEpochMs, long toEpochMs, Pace pace,
      boolean recalibrate, CalibrationHistory history) {
    NudaqConfig effective = recalibrate ? config.withCalibration(config.calibration().withEnabled(true)) : config;
    EventPipeline pipeline = new EventPipeline(effective);
    PipelineInputs inputs = new PipelineInputs(pipeline);
    JournalPlayer player = new JournalPlayer(inputs, fromEpochMs, toEpochMs);
    if (recalibrate) {
      player.ignoreJournaledCalibrations();
      pipeline.onCalibrationIntervals(new OnlineCalibration(effective, OnlineCalibration.Mode.INLINE, c -> {
        if (pipeline.applyCalibration(c.boardId(), c.channel(), c.calibration().scale().coefficients())) {
          history.applied(c, pipeline.dataTimeNs());
        }
      }, history));
    } else {
      inputs.onCalibration(c -> {
        history.attempted(c);
        history.applied(c, pipeline.dataTimeNs());
      });
    }
    long t0 = System.nanoTime();
    try (JournalReader reader = new JournalReader(dir)) {
      if (Double.isInfinite(pace.factor())) {
        player.play(reader, session);
      } else {
        reader.moveTo(session.startIndex());
        Paced paced = new Paced(player, pace.factor());
        while (!paced.ended() && reader.next(paced)) {
          // paced records
        }
      }
    }
    inputs.finish();
    long elapsed = System.nanoTime() - t0;
    var snapshot = pipeline.publish(Instant.ofEpochMilli(Math.max(player.lastWallClockEpochMs(), session.startEpochMs())));
    return new ReplayResult(config, snapshot, pipeline.accountingBalances(), player.frames(), player.events(),
        player.skippedFrames(), player.decodeErrors(), elapsed);
  }

  /** Holds each frame back until its recorded time, divided by the factor, has passed. */
  private static final class Paced implements JournalVisitor {
    private final JournalPlayer player;
    private final double factor;
    private long firstRecordMs = Long.MIN_VALUE;
    private long startNanos;
    private boolean sessionSeen;
    private boolean ended;

    Paced(JournalPlayer player, double factor) {
      this.player = player;
      this.factor = factor;
    }

    boolean ended() {
      return ended || player.closed();
    }

    @Override
    public void onSession(long index, long wallClockEpochMs, String configSource, String configYaml) {
      if (sessionSeen) {
        ended = true;
      }
      sessionSeen = true;
      player.onSession(index, wallClockEpochMs, configSource, configYaml);
    }

    @Override
    public void onFrame(long index, long wallClockEpochMs, int boardId, byte[] data, int length, long framesLostBefore) {
      if (firstRecordMs == Long.MIN_VALUE) {
        firstRecordMs = wallClockEpochMs;
        startNanos = System.nanoTime();
      }
      long due = startNanos + (long) ((wallClockEpochMs - firstRecordMs) * 1e6 / factor);
      long wait;
      while ((wait = due - System.nanoTime()) > 0) {
        LockSupport.parkNanos(wait);
      }
      player.onFrame(index, wallClockEpochMs, boardId, data, length, framesLostBefore);
    }

    @Override
    public void onIdle(long index, long wallClockEpochMs, long wallClockNanos) {
      player.onIdle(index, wallClockEpochMs, wallClockNanos);
    }

    @Override
    public void onReactorState(long index, long wallClockEpochMs, org.nudaq.server.pipeline.ReactorState state, double powerFraction, long effectiveTimeNs) {
      player.onReactorState(index, wallClockEpochMs, state, powerFraction, effectiveTimeNs);
    }

    @Override
    public void onCalibration(long index, long wallClockEpochMs, byte[] body, int length) {
      player.onCalibration(index, wallClockEpochMs, body, length);
    }

    @Override
    public void onSlowControl(long index, long wallClockEpochMs, String sensor, double value, long readingEpochMs,
        long effectiveTimeNs) {
      player.onSlowControl(index, wallClockEpochMs, sensor, value, readingEpochMs, effectiveTimeNs);
    }

    @Override
    public void onClosed(long index, long wallClockEpochMs) {
      player.onClosed(index, wallClockEpochMs);
    }
  }
}
