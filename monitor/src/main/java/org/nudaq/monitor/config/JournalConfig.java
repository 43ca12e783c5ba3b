package org.nudaq.monitor.config;

/**
 * The daemon's journal: every validated frame and every state change, on disk before the pipeline
 * sees it, and the periodic checkpoints that make crash recovery replay only the journal's tail
 * (docs/journal-and-replay.md). Immutable.
 *
 * @param enabled                   whether the daemon journals (and recovers from its journal on start)
 * @param directory                 the queue directory; relative paths are resolved against the data directory
 * @param rollCycle                 how long one queue file covers; persisted in the queue, so an existing
 *                                  journal keeps the cycle it was created with
 * @param retentionCycles           how many closed cycle files to keep (0 keeps everything, the default: years
 *                                  of data are irreplaceable); older ones are deleted
 * @param diskFreeAlarmGiB          the disk-space alarm: below this much free space on the journal's file
 *                                  system the daemon warns and the alarm gauge reads 1, GiB
 * @param checkpointIntervalSeconds time between checkpoints of the pipeline, s (0: none; recovery then
 *                                  replays the whole unclosed session)
 * @param checkpointsKept           how many checkpoints to keep (the newest); older ones are deleted
 * @param checkpointDirectory       where checkpoints are written; relative paths are resolved against the data
 *                                  directory. One directory per journal
 */
public record JournalConfig(boolean enabled, String directory, RollCycle rollCycle, int retentionCycles, double diskFreeAlarmGiB,
    double checkpointIntervalSeconds, int checkpointsKept, String checkpointDirectory) {

  /** The roll cycles offered (names of Chronicle Queue's {@code RollCycles}, in YAML spelling). */
  public enum RollCycle {
    /** One file per hour: small files, quick retention; 2^28 excerpts per hour. */
    FAST_HOURLY,
    /** One file per day (the default): a day of frames at our rates is well below 2^32 excerpts. */
    FAST_DAILY,
    /** One file per week, for low rates and few files. */
    WEEKLY
  }

  /** Default checkpoint interval, s: recovery replays at most five minutes of data (well under a second). */
  public static final double DEFAULT_CHECKPOINT_INTERVAL_SECONDS = 300;
  /** Default number of checkpoints kept: the newest, and two to fall back on if it is damaged. */
  public static final int DEFAULT_CHECKPOINTS_KEPT = 3;
  /** Default checkpoint folder under the data directory (before the rename: {@link #LEGACY_CHECKPOINT_DIRECTORY}). */
  public static final String DEFAULT_CHECKPOINT_DIRECTORY = "checkpoints";
  /**
   * Where versions before the rename to "checkpoints" wrote them by default: recovery still looks there when
   * the default folder holds none, so an upgrade does not lose the recovery of an unclosed session.
   */
  public static final String LEGACY_CHECKPOINT_DIRECTORY = "snapshots";

  /** The journal settings with the default checkpoint settings. */
  public JournalConfig(boolean enabled, String directory, RollCycle rollCycle, int retentionCycles, double diskFreeAlarmGiB) {
    this(enabled, directory, rollCycle, retentionCycles, diskFreeAlarmGiB, DEFAULT_CHECKPOINT_INTERVAL_SECONDS,
        DEFAULT_CHECKPOINTS_KEPT, DEFAULT_CHECKPOINT_DIRECTORY);
  }

  /**
   * The defaults: enabled, {@code journal} under the data directory, daily files kept forever, alarm at
   * 10 GiB; a checkpoint every 300 s in {@code checkpoints} under the data directory, the newest 3 kept.
   */
  public static JournalConfig defaults() {
    return new JournalConfig(true, "journal", RollCycle.FAST_DAILY, 0, 10);
  }

  /** A copy with another directory (tests, command-line overrides). */
  public JournalConfig withDirectory(String dir) {
    return new JournalConfig(enabled, dir, rollCycle, retentionCycles, diskFreeAlarmGiB, checkpointIntervalSeconds, checkpointsKept,
        checkpointDirectory);
  }

  /** A copy with other checkpoint settings (tests). */
  public JournalConfig withCheckpoints(double intervalSeconds, int kept, String dir) {
    return new JournalConfig(enabled, directory, rollCycle, retentionCycles, diskFreeAlarmGiB, intervalSeconds, kept, dir);
  }

  /** The alarm threshold in bytes. */
  public long diskFreeAlarmBytes() {
    return (long) (diskFreeAlarmGiB * (1L << 30));
  }

  /** Whether checkpoints are taken. */
  public boolean checkpointsEnabled() {
    return checkpointIntervalSeconds > 0;
  }

  static JournalConfig bind(ConfigNode n) {
    JournalConfig d = defaults();
    boolean enabled = n.bool("enabled", d.enabled());
    String dir = n.text("directory", d.directory());
    if (dir.isBlank()) {
      n.error("directory", "must name a directory");
    }
    RollCycle roll = n.choice("rollCycle", RollCycle.class, d.rollCycle());
    int retention = n.integer("retentionCycles", d.retentionCycles());
    if (retention < 0) {
      n.error("retentionCycles", "must be 0 (keep everything) or a positive number of cycles, got " + retention);
    }
    double alarm = n.number("diskFreeAlarmGiB", d.diskFreeAlarmGiB());
    n.requireNonNegative("diskFreeAlarmGiB", alarm);
    String intervalKey = n.renamed("snapshotIntervalSeconds", "checkpointIntervalSeconds");
    double interval = n.number(intervalKey, d.checkpointIntervalSeconds());
    if (!Double.isFinite(interval)) {
      n.error(intervalKey, "must be a finite number of seconds (0 disables checkpoints), got " + interval);
    }
    n.requireNonNegative(intervalKey, interval);
    String keptKey = n.renamed("snapshotsKept", "checkpointsKept");
    int kept = n.integer(keptKey, d.checkpointsKept());
    if (kept < 1) {
      n.error(keptKey, "must be >= 1 (the newest checkpoint and any older ones to fall back on), got " + kept);
    }
    String dirKey = n.renamed("snapshotDirectory", "checkpointDirectory");
    String checkpointDir = n.text(dirKey, d.checkpointDirectory());
    if (checkpointDir.isBlank()) {
      n.error(dirKey, "must name a directory");
    } else if (checkpointDir.equals(dir)) {
      n.error(dirKey, "must differ from journal.directory (the journal's directory holds only its queue files), got "
          + checkpointDir);
    }
    return new JournalConfig(enabled, dir, roll, retention, alarm, interval, kept, checkpointDir);
  }
}
