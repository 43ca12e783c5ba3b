package org.nudaq.sim.caen;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.nudaq.monitor.config.BoardConfig;
import org.nudaq.monitor.config.CompassConfig;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.wire.BoardStatus;

/**
 * Writes the simulated events as CoMPASS writes a run folder while it acquires, so the daemon's follow of
 * a CoMPASS folder ({@code compass.follow}) can be run against ground truth: one folder per run
 * ({@code DIR/run_<k>/}, with {@code run.info} holding {@code time.start}, and {@code time.stop} once
 * the run has ended, and {@code settings.xml}), the list files in its {@code RAW/} folder, one per
 * CoMPASS channel of {@code compass.channels} ({@code DataR_CH<c>@DT5730_<100 + board>_run_<k>.BIN}):
 * the 2022 header {@code 0xCAE5} (energy and energy short), then little-endian records (u16 board, u16
 * channel, u64 time stamp in ps since the run start, u16 energy, u16 energy short = ¾ energy, u32
 * CoMPASS flags; 20 bytes). A part that reaches {@code splitBytes} is closed and the channel continues in
 * {@code X_1.BIN}, {@code X_2.BIN}, ... (without the header), as CoMPASS's file splitting does.
 *
 * <p>A new run begins every {@code runSeconds} of detector time: its time stamps start at 0 again.
 * Run k ends once every board's STATUS has passed its end (so all its events are written); then its
 * files are closed and run.info gets {@code time.stop} (start + run length, exactly), and only then the
 * next run's folder is made (events of the next run that came earlier wait in memory). Files are
 * flushed after every generation step, so a reader sees them grow, with partly written records at
 * their ends. The wall-clock instant of detector time 0 is {@link #EPOCH}.
 *
 * <p>Single-threaded (the generator's thread).
 */
public final class CompassRunWriter implements CaenSink {
  /** The instant of detector time 0 in run.info. */
  public static final Instant EPOCH = Instant.parse("2026-03-01T00:00:00Z");
  static final int HEADER = 0xCAE5;
  static final int RECORD_BYTES = 20;

  private final Path dir;
  private final long runPs;
  private final long splitBytes;
  private final List<BoardConfig> boards;
  /** (our board id << 8 | our channel) → index into the CoMPASS channels, or −1. */
  private final int[] channelOf;
  private final int[] compassBoard;
  private final int[] compassChannel;
  private final long[] tickPs;
  private final long[] statusPs;
  private final OutputStream[] out;
  private final long[] written;
  private final int[] part;
  private final ByteBuffer record = ByteBuffer.allocate(RECORD_BYTES).order(ByteOrder.LITTLE_ENDIAN);
  private int run;
  private long runStartPs;
  private Path runDir;
  // Events of the next run that came before this one ended.
  private int waiting;
  private int[] waitingChannel = new int[1024];
  private long[] waitingPs = new long[1024];
  private int[] waitingEnergy = new int[1024];
  private int[] waitingFlags = new int[1024];
  private long records;
  private boolean closed;

  /**
   * @param runSeconds detector seconds per run
   * @param splitBytes a part is split off once it holds this many bytes (records are never cut)
   */
  public CompassRunWriter(NudaqConfig config, Path dir, double runSeconds, long splitBytes) throws IOException {
    if (!(runSeconds > 0) || splitBytes < RECORD_BYTES + 2) {
      throw new IllegalArgumentException("CoMPASS run folder: runSeconds must be > 0 and splitBytes at least " + (RECORD_BYTES + 2));
    }
    this.dir = dir;
    this.runPs = Math.round(runSeconds * 1e12);
    this.splitBytes = splitBytes;
    this.boards = config.digitizer().boards();
    List<CompassConfig.ChannelMapping> map = config.compass().channels();
    if (map.isEmpty()) {
      throw new IllegalArgumentException(config.source() + ": compass.channels is empty: it names the CoMPASS channels to write");
    }
    int maxId = 0;
    for (BoardConfig b : boards) {
      maxId = Math.max(maxId, b.id());
    }
    channelOf = new int[(maxId + 1) << 8];
    Arrays.fill(channelOf, -1);
    compassBoard = new int[map.size()];
    compassChannel = new int[map.size()];
    for (int i = 0; i < map.size(); i++) {
      CompassConfig.ChannelMapping m = map.get(i);
      if (m.toBoard() <= maxId && m.toChannel() < 256) {
        channelOf[(m.toBoard() << 8) | m.toChannel()] = i;
      }
      compassBoard[i] = m.board();
      compassChannel[i] = m.channel();
    }
    tickPs = new long[maxId + 1];
    for (BoardConfig b : boards) {
      tickPs[b.id()] = Math.round(b.tickNs() * 1000);
    }
    statusPs = new long[boards.size()];
    out = new OutputStream[map.size()];
    written = new long[map.size()];
    part = new int[map.size()];
    Files.createDirectories(dir);
    beginRun(1, 0);
  }

  private String baseName(int i) {
    return "DataR_CH" + compassChannel[i] + "@DT5730_" + (100 + compassBoard[i]) + "_run_" + run;
  }

  private Path partPath(int i) {
    return runDir.resolve("RAW").resolve(baseName(i) + (part[i] == 0 ? "" : "_" + part[i]) + ".BIN");
  }

  private void beginRun(int k, long startPs) throws IOException {
    run = k;
    runStartPs = startPs;
    runDir = dir.resolve("run_" + k);
    Files.createDirectories(runDir.resolve("RAW"));
    Files.writeString(runDir.resolve("settings.xml"), "<configuration><!-- nudaq simulator --><timedRunEnabled>false</timedRunEnabled>"
        + "</configuration>\n", StandardCharsets.UTF_8);
    writeRunInfo(-1);
    for (int i = 0; i < out.length; i++) {
      part[i] = 0;
      out[i] = new BufferedOutputStream(Files.newOutputStream(partPath(i)), 1 << 14);
      out[i].write(HEADER & 0xFF);
      out[i].write(HEADER >>> 8);
      written[i] = 2;
    }
  }

  /** run.info; with the run's length (ps, ≥ 0) once it has ended. */
  private void writeRunInfo(long lengthPs) throws IOException {
    Instant start = EPOCH.plusNanos(runStartPs / 1000);
    StringBuilder sb = new StringBuilder("id=run_" + run + "\ntime.start=" + start + "\n");
    if (lengthPs >= 0) {
      sb.append("time.stop=").append(start.plusNanos(lengthPs / 1000)).append('\n');
    }
    Path tmp = runDir.resolve("run.info.tmp");
    Files.writeString(tmp, sb, StandardCharsets.UTF_8);
    Files.move(tmp, runDir.resolve("run.info"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  @Override
  public void onEvent(BoardConfig board, int channel, long timestampTicks, int energyAdc, int flags) {
    int i = board.id() < tickPs.length && channel < 256 ? channelOf[(board.id() << 8) | channel] : -1;
    if (i < 0) {
      return; // not a CoMPASS channel of the map
    }
    long ps = timestampTicks * tickPs[board.id()];
    if (ps >= runStartPs + runPs) {
      hold(i, ps, energyAdc, flags);
      return;
    }
    write(i, ps - runStartPs, energyAdc, CompassStreamServer.compassFlags(flags));
  }

  private void write(int i, long ps, int energyAdc, int compassFlags) {
    try {
      if (written[i] + RECORD_BYTES > splitBytes && written[i] > 2) {
        out[i].close(); // complete before the next part appears
        part[i]++;
        out[i] = new BufferedOutputStream(Files.newOutputStream(partPath(i)), 1 << 14);
        written[i] = 0;
      }
      record.clear();
      record.putShort((short) compassBoard[i]).putShort((short) compassChannel[i]).putLong(ps).putShort((short) energyAdc)
          .putShort((short) (energyAdc * 3 / 4)).putInt(compassFlags);
      out[i].write(record.array(), 0, RECORD_BYTES);
      written[i] += RECORD_BYTES;
      records++;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void hold(int i, long ps, int energyAdc, int flags) {
    if (waiting == waitingPs.length) {
      int n = waiting * 2;
      waitingChannel = Arrays.copyOf(waitingChannel, n);
      waitingPs = Arrays.copyOf(waitingPs, n);
      waitingEnergy = Arrays.copyOf(waitingEnergy, n);
      waitingFlags = Arrays.copyOf(waitingFlags, n);
    }
    waitingChannel[waiting] = i;
    waitingPs[waiting] = ps;
    waitingEnergy[waiting] = energyAdc;
    waitingFlags[waiting] = flags;
    waiting++;
  }

  @Override
  public void onStatus(BoardConfig board, BoardStatus status) {
    for (int b = 0; b < boards.size(); b++) {
      if (boards.get(b).id() == board.id()) {
        statusPs[b] = Math.max(statusPs[b], status.boardTimeTicks() * tickPs[board.id()]);
      }
    }
    long end = runStartPs + runPs;
    for (long s : statusPs) {
      if (s < end) {
        return;
      }
    }
    nextRun(); // every board has given all its events before the run's end
  }

  private void nextRun() {
    try {
      endRun(runPs);
      beginRun(run + 1, runStartPs + runPs);
      int n = waiting;
      waiting = 0;
      for (int k = 0; k < n; k++) {
        long ps = waitingPs[k];
        if (ps >= runStartPs + runPs) {
          hold(waitingChannel[k], ps, waitingEnergy[k], waitingFlags[k]); // a later run still
        } else {
          write(waitingChannel[k], ps - runStartPs, waitingEnergy[k], CompassStreamServer.compassFlags(waitingFlags[k]));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void endRun(long lengthPs) throws IOException {
    for (OutputStream o : out) {
      o.close();
    }
    writeRunInfo(lengthPs);
  }

  @Override
  public void flush() {
    try {
      for (OutputStream o : out) {
        o.flush();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Records written. */
  public long records() {
    return records;
  }

  /** The run being written (1, 2, ...). */
  public int run() {
    return run;
  }

  /**
   * Ends the last run where the boards' last STATUS is (the end of the simulation), its events all
   * written (none can be held: the run would have ended at the STATUS that passed its end).
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    long endPs = Long.MAX_VALUE;
    for (long st : statusPs) {
      endPs = Math.min(endPs, st);
    }
    try {
      endRun(Math.max(0, Math.min(runPs, endPs - runStartPs)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
