package org.nudaq.server.compass;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongUnaryOperator;
import org.nudaq.monitor.config.BoardConfig;
import org.nudaq.monitor.config.CompassFollowConfig;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.server.link.FrameSink;
import org.nudaq.server.pipeline.ReactorState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's source for a CoMPASS run folder CoMPASS is writing ({@code compass.follow}): reads every
 * channel list file as it grows (binary with or without the 2022 header, CSV; split parts {@code _1},
 * {@code _2}, ...; one run folder after the other, each a new time base) through the same
 * {@link CompassFeed} as {@code replay --compass}, and sends what it makes as wire frames into the
 * daemon's frame queue — journaled and processed like any board's frames. So the daemon's spectra equal
 * an import of the finished folder, bit for bit.
 *
 * <p><b>Resuming.</b> Before each slab the follow appends its read position to the position log
 * ({@code <data>/compass-follow.log}): the run, every channel's part and byte offset of its next record,
 * the slab width, the per-board frame sequence numbers the slab starts with, and the feed's counters.
 * On a start it takes the journal's last frame sequence number of each of its boards (the recovered
 * session after a crash, or the session-end line the log got at a clean stop), resumes from the last
 * logged position whose frames are all journaled, and makes that slab again without sending the frames
 * the journal already has: nothing is read twice into the journal, nothing skipped, whatever moment a
 * kill -9 came. A resume appends an {@code R} line; lines before it are not used again.
 *
 * <p><b>A run's files.</b> A run is started with the channel files its folder has once that set has not
 * changed for settleSeconds; a file that appears later joins between two slabs, read from its start
 * ({@link LateChannelFiles}: every event journaled, the older ones late to the merge), never left unread.
 *
 * <p>Thread-safety: {@link #start}, {@link #close} and the counters from any thread; the reading runs on
 * the follow's own thread.
 *
 * <p>Size: ~600 lines, over the ~400-line rule: the resume rules, the run and file discovery and the slab loop
 * work on one state of the follow's thread (the feed, the followed channels, the frame inputs, the reactor
 * schedule); the logged position's line format is {@link FollowPosition}'s, a channel file's reading
 * {@link FollowedChannel}'s.
 */
public final class CompassFollow implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CompassFollow.class);
  /** The position log in the daemon's data directory. */
  public static final String POSITION_LOG = "compass-follow.log";

  /** Sets a reactor state in the daemon (journaled first); called once the frame queue is empty. */
  public interface ReactorInput {
    void set(ReactorState state, double powerFraction, long effectiveTimeNs) throws Exception;
  }

  /** Thrown out of a waiting read when the follow is closed. */
  static final class Stopped extends RuntimeException {
    Stopped() {
      super("closing", null, false, false);
    }
  }

  private final NudaqConfig config;
  private final CompassFollowConfig follow;
  private final Path directory;
  private final Path positionLog;
  private final FrameSink sink;
  private final ReactorInput reactor;
  /** Frames in the daemon's frame queue (a reactor state waits until the frames before it were taken). */
  private final java.util.function.IntSupplier queuedFrames;
  private final List<BoardConfig> boards = new ArrayList<>();
  private final CompassFrameInputs inputs;
  private final CompassFeed feed;
  private final ReactorSchedule schedule;
  private final Thread thread;
  private volatile boolean stopping;
  /** The position to resume from (null: from the start) and the last journaled sequence per board. */
  private FollowPosition resumeFrom;

  public final AtomicLong runsStarted = new AtomicLong();
  public final AtomicLong runsFinished = new AtomicLong();
  public final AtomicLong records = new AtomicLong();
  public final AtomicLong formatErrors = new AtomicLong();
  public final AtomicLong slabs = new AtomicLong();
  public final AtomicLong framesSent = new AtomicLong();
  /** The feed's event count as of its last slab, for other threads (the feed's own count is the follow thread's). */
  private final AtomicLong eventsRead = new AtomicLong();
  /** Channel files that appeared in a run after the follow had opened it (read from then on; see {@link LateChannelFiles}). */
  public final AtomicLong lateChannelFiles = new AtomicLong();
  /** Runs whose data time overflowed the pipeline's (292 years of ns: a bogus run.info); the follow stops at one. */
  public final AtomicLong timeBaseErrors = new AtomicLong();
  private volatile String currentRun = "";
  private volatile boolean waitingForRun;

  /** @throws IllegalArgumentException if compass.channels maps onto a channel the digitizer section does not have */
  public CompassFollow(NudaqConfig config, Path dataDir, FrameSink sink, java.util.function.IntSupplier queuedFrames,
      ReactorInput reactor) {
    this.queuedFrames = queuedFrames;
    this.config = config;
    this.follow = config.compass().follow();
    this.directory = Path.of(follow.directory());
    this.positionLog = dataDir.resolve(POSITION_LOG);
    this.sink = sink;
    this.reactor = reactor;
    for (BoardConfig b : config.digitizer().boards()) {
      if (config.compass().channels().stream().anyMatch(m -> m.toBoard() == b.id())) {
        boards.add(b);
      }
    }
    this.inputs = new CompassFrameInputs(boards, new CompassFrameInputs.Output() {
      @Override public void frame(int boardId, ByteBuffer buffer, int length) {
        send(boardId, buffer, length);
      }

      @Override public void reactor(ReactorState state, double powerFraction, long effectiveTimeNs) {
        setReactor(state, powerFraction, effectiveTimeNs);
      }
    });
    ReactorState state = follow.reactor() == null ? null : ReactorState.valueOf(follow.reactor());
    if (state != null && config.gates().reactorStateSource() != org.nudaq.monitor.config.GateConfig.ReactorStateSource.CONTROL) {
      throw new IllegalArgumentException(config.source() + ": compass.follow.reactor needs gates.reactorStateSource: control"
          + " (the reactor state of a CoMPASS folder is set through the control path, as replay --compass --reactor does)");
    }
    this.schedule = state == null ? null : ReactorSchedule.of(new CompassImport.Options(state, List.of(), null), null);
    this.feed = new CompassFeed(config, inputs, schedule);
    this.thread = new Thread(this::run, "compass-follow");
    this.thread.setDaemon(true);
  }

  /** Our board ids this source feeds. */
  public int[] boardIds() {
    return boards.stream().mapToInt(BoardConfig::id).toArray();
  }

  /**
   * Where to resume (before {@link #start}): {@code lastJournaled} gives the journal's last frame
   * sequence number of a board (−1: none) of the session the daemon recovered after a crash, or null
   * when the daemon begins a new session (then the position log's session-end line says it).
   */
  public void resume(LongUnaryOperator lastJournaled) {
    List<String> lines = readLog();
    int from = 0;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith("R ")) {
        from = i;
      }
    }
    long[] last = new long[boards.size()];
    boolean known = lastJournaled != null;
    boolean newSession = lastJournaled == null;
    for (int b = 0; b < last.length; b++) {
      last[b] = known ? lastJournaled.applyAsLong(boards.get(b).id()) : -1;
    }
    if (!known) {
      for (int i = lines.size() - 1; i >= from; i--) {
        if (lines.get(i).startsWith("E ")) {
          long[] e = parseSequences(lines.get(i).substring(2));
          System.arraycopy(e, 0, last, 0, last.length);
          known = true;
          break;
        }
      }
    }
    FollowPosition chosen = null;
    for (int i = lines.size() - 1; i >= from && chosen == null; i--) {
      String l = lines.get(i);
      if (!l.startsWith("S ") && !l.startsWith("R ")) {
        continue;
      }
      FollowPosition s;
      try {
        s = FollowPosition.parse(l.substring(2), boards.size());
      } catch (RuntimeException e) {
        LOG.warn("CoMPASS follow: position log {} line {} unreadable ({}); skipped", positionLog, i + 1, e.getMessage());
        continue;
      }
      boolean covered = true;
      for (int b = 0; b < last.length; b++) {
        covered &= !known || s.sequence[b] <= last[b] + 1;
      }
      if (covered) {
        chosen = s;
      }
    }
    if (chosen == null) {
      if (from < lines.size() && !lines.isEmpty()) {
        LOG.warn("CoMPASS follow: no position in {} matches the journal; following {} from its start", positionLog, directory);
      }
      return;
    }
    if (!known) {
      LOG.warn("CoMPASS follow: the journal's last frames of the followed boards are not known (no session-end line in {});"
          + " resuming from its last position, the slab after it may be journaled twice", positionLog);
      for (int b = 0; b < last.length; b++) {
        last[b] = chosen.sequence[b] - 1;
      }
    }
    chosen.dropThrough = last;
    chosen.newSession = newSession;
    if (newSession) {
      // The new session's pipeline needs the boards' HELLO before their first frame it gets.
      for (int b = 0; b < last.length; b++) {
        if (chosen.hello[b] == CompassFrameInputs.NO_HELLO) {
          chosen.hello[b] = Math.max(last[b], chosen.sequence[b] - 1);
        }
      }
    }
    resumeFrom = chosen;
    appendLog("R " + chosen.format());
  }

  /** Starts following (asynchronously). */
  public void start() {
    for (BoardConfig b : boards) {
      sink.linkState(b.id(), true);
    }
    thread.start();
  }

  /**
   * After the daemon's pipeline finished a session cleanly: the last journaled sequence number per board
   * ({@code lastJournaled}, −1: none), so the next start knows what the journal has.
   */
  public void sessionEnded(LongUnaryOperator lastJournaled) {
    StringBuilder sb = new StringBuilder("E ");
    for (int b = 0; b < boards.size(); b++) {
      sb.append(b == 0 ? "" : ",").append(boards.get(b).id()).append(':').append(lastJournaled.applyAsLong(boards.get(b).id()));
    }
    appendLog(sb.toString());
  }

  /**
   * Stops reading (a slab in progress is left; the next start makes it again). The thread is not
   * interrupted — an interrupt closes a FileChannel in the middle of a read — but stops at its next
   * wait (at most pollMillis).
   */
  @Override
  public void close() {
    stopping = true;
    try {
      thread.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (BoardConfig b : boards) {
      sink.linkState(b.id(), false);
    }
  }

  /** The run folder being read (relative to compass.follow.directory). */
  public String currentRun() {
    return currentRun;
  }

  /** Whether the follow waits for a (next) run folder. */
  public boolean waitingForRun() {
    return waitingForRun;
  }

  /** The counters for the run summary. */
  public java.util.Map<String, Object> toMap() {
    java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("directory", directory.toString());
    m.put("currentRun", currentRun);
    m.put("waitingForRun", waitingForRun);
    m.put("runsStarted", runsStarted.get());
    m.put("runsFinished", runsFinished.get());
    m.put("records", records.get());
    m.put("events", eventsRead.get());
    m.put("formatErrors", formatErrors.get());
    m.put("slabs", slabs.get());
    m.put("framesSent", framesSent.get());
    m.put("lateChannelFiles", lateChannelFiles.get());
    m.put("timeBaseErrors", timeBaseErrors.get());
    return m;
  }

  private void run() {
    try {
      follow();
    } catch (Stopped e) {
      // closing
    } catch (TimeBaseOverflow e) {
      LOG.error("CoMPASS follow of {} stopped: {}", directory, e.getMessage());
    } catch (RuntimeException e) {
      LOG.error("CoMPASS follow of {} stopped: {}", directory, e.toString());
    }
  }

  private void follow() {
    FollowPosition s = resumeFrom;
    String runName;
    long offsetNs;
    FollowedChannel[] channels;
    if (s == null) {
      runName = awaitRun(null);
      offsetNs = 0;
      channels = openRun(runName);
      startRun(runName, channels, offsetNs, CompassFeed.INITIAL_SLAB_PS, -1);
    } else {
      runName = s.run;
      offsetNs = s.offsetNs;
      long[] next = s.sequence.clone();
      inputs.resume(next, s.dropThrough, s.hello);
      System.arraycopy(s.saved, 0, feed.saved(), 0, Math.min(s.saved.length, feed.saved().length));
      feed.events(s.events);
      eventsRead.set(s.events);
      if (schedule != null) {
        schedule.resumeAfter(s.newSession ? 0 : s.given);
      }
      Path dir = directory.resolve(runName);
      channels = new FollowedChannel[s.files.size()];
      for (int i = 0; i < channels.length; i++) {
        FollowPosition.FileState f = s.files.get(i);
        channels[i] = new FollowedChannel(dir, f.base(), f.part(), f.offset(), f.layout(), f.ended(), context(dir, runName));
      }
      startRun(runName, channels, offsetNs, s.widthPs, s.lastPs);
      feed.statusFloorPs(s.statusFloorPs);
      LOG.info("CoMPASS follow: resuming {} in {}", runName, directory);
    }
    currentRun = runName;
    runsStarted.incrementAndGet();
    channels = feedRun(runName, offsetNs, channels);
    while (true) {
      Path dir = directory.resolve(runName);
      CompassRunInfo runInfo = CompassRunInfo.of(dir);
      long realNs;
      try {
        realNs = feed.finishRun(runInfo);
      } catch (ArithmeticException e) {
        throw timeBaseOverflow(dir, offsetNs, runInfo.runInfoDurationNs());
      }
      runsFinished.incrementAndGet();
      for (FollowedChannel c : channels) {
        c.close();
      }
      LOG.info("CoMPASS follow: run {} read to its end ({} s of real time)", runName, realNs * 1e-9);
      appendLog("F run=" + FollowPosition.enc(runName) + " realNs=" + realNs);
      offsetNs = feed.nextOffsetNs(realNs); // fits: finishRun checked the run's end
      runName = awaitRun(runName);
      currentRun = runName;
      channels = openRun(runName);
      startRun(runName, channels, offsetNs, CompassFeed.INITIAL_SLAB_PS, -1);
      runsStarted.incrementAndGet();
      channels = feedRun(runName, offsetNs, channels);
    }
  }

  /**
   * Feeds the run slab by slab until every channel has ended, logging the position before each slab.
   * Between slabs, and once more when every channel has ended, channel files that appeared in the run
   * folder since it was opened join the feed (read from their start), so no channel of the run is
   * left unread. Not before the first slab: a resumed run must make that slab again exactly as its
   * logged position says (with the channels it lists). Returns the run's channels, those that joined
   * included.
   */
  /** Starts feeding a run; a base beyond the pipeline's time is {@link TimeBaseOverflow} (counted). */
  private void startRun(String runName, FollowedChannel[] channels, long offsetNs, long widthPs, long lastPs) {
    try {
      feed.startRun(channels, offsetNs, widthPs, lastPs);
    } catch (ArithmeticException e) {
      throw timeBaseOverflow(directory.resolve(runName), offsetNs, 0);
    }
  }

  private TimeBaseOverflow timeBaseOverflow(Path run, long offsetNs, long runInfoNs) {
    timeBaseErrors.incrementAndGet();
    return new TimeBaseOverflow(CompassImport.timeBaseOverflow(run, offsetNs, runInfoNs).getMessage());
  }

  /** A run whose data time does not fit the pipeline's: the follow stops with one log line (the daemon runs on). */
  private static final class TimeBaseOverflow extends RuntimeException {
    TimeBaseOverflow(String message) {
      super(message, null, false, false);
    }
  }

  private FollowedChannel[] feedRun(String runName, long offsetNs, FollowedChannel[] channels) {
    Path dir = directory.resolve(runName);
    List<String> read = new ArrayList<>();
    for (FollowedChannel c : channels) {
      read.add(c.base());
    }
    LateChannelFiles late = new LateChannelFiles(dir, read);
    boolean first = true;
    while (true) {
      if (!first) {
        channels = join(late.appeared(), dir, runName, channels);
      }
      first = false;
      logState(runName, offsetNs, channels);
      boolean more = feed.slab();
      eventsRead.set(feed.events());
      if (more) {
        slabs.incrementAndGet();
        continue;
      }
      // Every channel has ended, so the run is complete: its set of files is final.
      List<String> last = late.appeared();
      if (last.isEmpty()) {
        return channels;
      }
      channels = join(last, dir, runName, channels);
    }
  }

  /** Adds the channels of {@code bases} (files that appeared late) to the run being fed. */
  private FollowedChannel[] join(List<String> bases, Path dir, String runName, FollowedChannel[] channels) {
    for (String base : bases) {
      LOG.warn("CoMPASS follow: channel file {} appeared in run {} after the follow had started the run"
          + " (compass.follow.settleSeconds: {} s); read from its start: every event is journaled, those older than"
          + " what was given already reach the merge late (rejected LATE, counted; replay --compass of the finished"
          + " folder has them all); a longer settleSeconds avoids this", dir.resolve(base), runName, follow.settleSeconds());
      lateChannelFiles.incrementAndGet();
      FollowedChannel c = new FollowedChannel(dir, base, 0, 0, CompassGrowingBinary.FROM_HEADER, false, context(dir, runName));
      channels = java.util.Arrays.copyOf(channels, channels.length + 1);
      channels[channels.length - 1] = c;
      feed.addSource(c);
    }
    return channels;
  }

  /** Opens the channels of a run that just began (its set of files settled). */
  private FollowedChannel[] openRun(String runName) {
    Path dir = directory.resolve(runName);
    List<Path> files = settledFiles(dir);
    List<List<Path>> chains = CompassFileChain.chains(files);
    FollowedChannel[] channels = new FollowedChannel[chains.size()];
    for (int i = 0; i < channels.length; i++) {
      channels[i] = new FollowedChannel(dir, chains.get(i).get(0).getFileName().toString(), 0, 0, CompassGrowingBinary.FROM_HEADER,
          false, context(dir, runName));
    }
    LOG.info("CoMPASS follow: run {} begins, {} channel file(s)", runName, channels.length);
    return channels;
  }

  /** The run's list files once they have not changed for settleSeconds. */
  private List<Path> settledFiles(Path dir) {
    List<Path> last = CompassImport.listFiles(dir);
    long since = System.nanoTime();
    long settleNanos = (long) (follow.settleSeconds() * 1e9);
    while (System.nanoTime() - since < settleNanos || last.isEmpty()) {
      pause();
      List<Path> now = CompassImport.listFiles(dir);
      if (!now.equals(last)) {
        last = now;
        since = System.nanoTime();
      }
    }
    return last;
  }

  /** Waits for the first run folder (after == null) or the one after {@code after}; its name relative to the directory. */
  private String awaitRun(String after) {
    waitingForRun = true;
    try {
      while (true) {
        if (Files.isDirectory(directory)) {
          List<Path> runs = CompassImport.runFolders(directory);
          for (Path r : runs) {
            String name = directory.relativize(r).toString();
            if (name.isEmpty()) {
              name = ".";
            }
            if (after == null) {
              return name;
            }
            if (laterRun(name, after)) {
              return name;
            }
          }
        }
        pause();
      }
    } finally {
      waitingForRun = false;
    }
  }

  /** Whether run folder {@code a} comes after {@code b} (natural order of the run folder names). */
  private static boolean laterRun(String a, String b) {
    return !a.equals(b) && CompassImport.naturalCompare(a, b) > 0;
  }

  private FollowedChannel.Context context(Path dir, String runName) {
    return new FollowedChannel.Context() {
      private long checkedNanos;
      private boolean complete;

      @Override public boolean runComplete() {
        if (complete) {
          return true;
        }
        long now = System.nanoTime();
        if (now - checkedNanos < TimeUnit.MILLISECONDS.toNanos(follow.pollMillis()) && checkedNanos != 0) {
          return false;
        }
        checkedNanos = now;
        CompassRunInfo info;
        try {
          info = CompassRunInfo.of(dir);
        } catch (IllegalArgumentException e) {
          info = null;
        }
        if (info != null && info.stop() != null) {
          complete = true;
        } else if (!".".equals(runName)) {
          for (Path r : CompassImport.runFolders(directory)) {
            if (laterRun(directory.relativize(r).toString(), runName)) {
              complete = true;
            }
          }
        }
        return complete;
      }

      @Override public void pause() {
        CompassFollow.this.pause();
      }

      @Override public void formatError(CompassFormatException e) {
        if (stopping) {
          throw new Stopped(); // not the file's fault
        }
        formatErrors.incrementAndGet();
        LOG.error("CoMPASS follow: {} (the rest of this file part is skipped; counted)", e.getMessage());
      }
    };
  }

  private void pause() {
    if (stopping) {
      throw new Stopped();
    }
    try {
      Thread.sleep(follow.pollMillis());
    } catch (InterruptedException e) {
      throw new Stopped();
    }
    if (stopping) {
      throw new Stopped();
    }
  }

  private void send(int boardId, ByteBuffer buffer, int length) {
    ByteBuf frame = Unpooled.wrappedBuffer(buffer.array(), 0, length);
    while (!sink.offer(boardId, frame, 0)) {
      if (stopping) {
        throw new Stopped();
      }
      try {
        Thread.sleep(1); // the queue is full: wait for the pipeline (nothing is dropped)
      } catch (InterruptedException e) {
        throw new Stopped();
      }
    }
    framesSent.incrementAndGet();
  }

  private void setReactor(ReactorState state, double powerFraction, long effectiveTimeNs) {
    // The pipeline thread runs a command after the frame it took last: once the queue is empty, every
    // frame sent before this state is journaled before it.
    while (queuedFrames.getAsInt() > 0) {
      if (stopping) {
        throw new Stopped();
      }
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        throw new Stopped();
      }
    }
    try {
      reactor.set(state, powerFraction, effectiveTimeNs);
    } catch (InterruptedException e) {
      throw new Stopped();
    } catch (Exception e) {
      if (stopping) {
        throw new Stopped();
      }
      LOG.error("CoMPASS follow: the reactor state {} could not be set: {}", state, e.toString());
    }
  }

  private void logState(String runName, long offsetNs, FollowedChannel[] channels) {
    List<FollowPosition.FileState> files = new ArrayList<>();
    for (FollowedChannel c : channels) {
      files.add(new FollowPosition.FileState(c.base(), c.ended() ? 0 : c.part(), c.ended() ? 0 : c.recordOffset(), c.layout(), c.ended()));
    }
    FollowPosition s = new FollowPosition(runName, offsetNs, feed.widthPs(), feed.lastPs(), feed.statusFloorPs(), feed.events(),
        schedule == null ? 0 : schedule.given(), feed.saved().clone(), inputs.nextSequence(), inputs.helloAfter(), files);
    appendLog("S " + s.format());
    long r = 0;
    for (FollowedChannel c : channels) {
      r += c.records();
    }
    records.set(r);
  }

  private List<String> readLog() {
    if (!Files.exists(positionLog)) {
      return List.of();
    }
    try {
      List<String> lines = Files.readAllLines(positionLog, StandardCharsets.UTF_8);
      // A line cut by a kill -9 has no end: it is not used.
      String text = Files.readString(positionLog, StandardCharsets.UTF_8);
      if (!text.isEmpty() && !text.endsWith("\n") && !lines.isEmpty()) {
        lines = new ArrayList<>(lines.subList(0, lines.size() - 1));
      }
      return lines;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the CoMPASS follow position log " + positionLog + ": " + e.getMessage(), e);
    }
  }

  private void appendLog(String line) {
    try {
      Files.writeString(positionLog, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the CoMPASS follow position log " + positionLog + ": " + e.getMessage(), e);
    }
  }

  private static long[] parseSequences(String text) {
    String[] parts = text.trim().split(",");
    long[] out = new long[parts.length];
    for (int i = 0; i < parts.length; i++) {
      out[i] = Long.parseLong(parts[i].substring(parts[i].indexOf(':') + 1));
    }
    return out;
  }
}
