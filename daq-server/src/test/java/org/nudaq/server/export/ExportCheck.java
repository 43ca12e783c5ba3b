package org.nudaq.server.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.spectrum.Binning;
import org.nudaq.monitor.spectrum.SpectrumSnapshot;
import org.nudaq.monitor.wire.BoardHello;
import org.nudaq.monitor.wire.FrameReader;
import org.nudaq.monitor.wire.FrameVisitor;
import org.nudaq.server.journal.JournalReader;
import org.nudaq.server.journal.JournalVisitor;
import org.nudaq.server.pipeline.EventFate;
import org.nudaq.server.pipeline.EventPipeline;
import org.nudaq.server.pipeline.GateReason;
import org.nudaq.server.pipeline.PipelineSnapshot;
import org.nudaq.server.pipeline.ReactorState;
import org.nudaq.server.pipeline.RejectReason;
import org.nudaq.server.pipeline.TickTime;

/**
 * Checks an export read back by a foreign reader against the pipeline's own results (a snapshot taken
 * by the daemon online or by the import) and against the input itself: every column, every spectrum,
 * every table, exactly.
 */
final class ExportCheck {
  private ExportCheck() {}

  /** An input event: board, channel, time (ns), ADC value, flags. */
  record InputEvent(int board, int channel, long timeNs, int adc, int flags) implements Comparable<InputEvent> {
    @Override
    public int compareTo(InputEvent o) {
      int c = Long.compare(timeNs, o.timeNs);
      c = c != 0 ? c : Integer.compare(board, o.board);
      c = c != 0 ? c : Integer.compare(channel, o.channel);
      c = c != 0 ? c : Integer.compare(adc, o.adc);
      return c != 0 ? c : Integer.compare(flags, o.flags);
    }
  }

  /**
   * What the journal's frames say, decoded by the monitor's FrameReader (not the pipeline): every event
   * of the EVENTS frames, and the reactor powers (ppm / 1e6) of the STATUS frames that report one
   * (ppm 0: not reported).
   */
  record JournalInput(List<InputEvent> events, java.util.Set<Double> statusPowers) {}

  static JournalInput journalInput(Path journal) {
    List<InputEvent> events = new ArrayList<>();
    java.util.Set<Double> powers = new java.util.HashSet<>();
    Map<Integer, Long> tickPs = new HashMap<>();
    FrameReader reader = new FrameReader();
    FrameVisitor frames = new FrameVisitor() {
      int board;

      @Override
      public void onHello(int boardId, long sequence, BoardHello hello) {
        tickPs.put(boardId, hello.tickLengthPs());
      }

      @Override
      public void onEventsBegin(int boardId, long sequence, int eventCount) {
        board = boardId;
      }

      @Override
      public void onEvent(long timestampTicks, int channel, int energyAdc, int flags, int lostTriggersBefore) {
        events.add(new InputEvent(board, channel, TickTime.ticksToNs(timestampTicks, tickPs.get(board)), energyAdc, flags));
      }

      @Override
      public void onStatus(int boardId, long sequence, long boardTimeTicks, long realTimeTicks, int reactorState, long reactorPowerPpm,
          int channelCount) {
        if (reactorPowerPpm != 0) {
          powers.add(reactorPowerPpm * 1e-6);
        }
      }

      @Override
      public void onChannelStatus(int channel, long liveTimeTicks, long deadTimeTicks, long acceptedTriggers, long lostTriggers) {}

      @Override
      public void onGoodbye(int boardId, long sequence, int reasonCode) {}
    };
    try (JournalReader r = new JournalReader(journal)) {
      JournalVisitor v = new JournalVisitor() {
        @Override
        public void onFrame(long index, long wallClockEpochMs, int boardId, byte[] data, int length, long framesLostBefore) {
          reader.decode(ByteBuffer.wrap(data, 0, length), 0, length, frames);
        }
      };
      while (r.next(v)) {
        // every record
      }
    }
    return new JournalInput(events, powers);
  }

  /** The RUN records of the journal. */
  static List<long[]> journalRuns(Path journal) {
    List<long[]> out = new ArrayList<>();
    try (JournalReader r = new JournalReader(journal)) {
      JournalVisitor v = new JournalVisitor() {
        @Override
        public void onRun(long index, long wallClockEpochMs, boolean running, long runNumber) {
          out.add(new long[] {wallClockEpochMs, running ? 1 : 0, runNumber});
        }
      };
      while (r.next(v)) {
        // every record
      }
    }
    return out;
  }

  /**
   * Every check.
   *
   * @param r        the export as read back
   * @param expected the pipeline's own result
   * @param config   the configuration it ran with
   * @param input    the input events, independently decoded
   * @param reportedPowers the reactor powers (fraction of nominal) the input reported: the STATUS
   *                 frames' ppm / 1e6, or a reactor timeline's powers
   */
  static void check(ExportReadback r, PipelineSnapshot expected, NudaqConfig config, String configText, List<InputEvent> input,
      java.util.Set<Double> reportedPowers) {
    int n = r.time.length;
    List<EventPipeline.Source> sources = EventPipeline.sources(config);

    // 1. The rows are the input events, each exactly once.
    InputEvent[] got = new InputEvent[n];
    for (int i = 0; i < n; i++) {
      got[i] = new InputEvent(r.board[i], r.channel[i], r.time[i], r.adc[i], r.flags[i]);
    }
    InputEvent[] want = input.toArray(InputEvent[]::new);
    Arrays.sort(got);
    Arrays.sort(want);
    assertThat(n).as("rows = input events").isEqualTo(want.length).isEqualTo((int) expected.totals().received());
    for (int i = 0; i < n; i++) {
      if (!got[i].equals(want[i])) {
        throw new AssertionError("the rows are not the input events: sorted row " + i + " is " + got[i] + ", the input has " + want[i]);
      }
    }

    // 2. Source and energy are the pipeline's channel and calibration, bit for bit.
    for (int i = 0; i < n; i++) {
      int s = r.source[i];
      if (s < 0) {
        assertThat(r.fate[i]).isEqualTo(EventFate.REJECTED_UNKNOWN_CHANNEL.code());
        continue;
      }
      EventPipeline.Source src = sources.get(s);
      assertThat(r.board[i]).isEqualTo(src.boardId());
      assertThat(r.channel[i]).isEqualTo(src.channel());
      assertThat(Double.doubleToRawLongBits(r.energy[i])).as("energy of row %d", i)
          .isEqualTo(Double.doubleToRawLongBits(src.config().energyKeV(r.adc[i])));
    }

    // 3. Fates per channel = the pipeline's accounting.
    long[][] byFate = new long[sources.size()][EventFate.values().length];
    for (int i = 0; i < n; i++) {
      if (r.source[i] >= 0) {
        byFate[r.source[i]][r.fate[i]]++;
      }
    }
    for (int s = 0; s < sources.size(); s++) {
      PipelineSnapshot.ChannelSnapshot c = expected.channels().get(s);
      assertThat(c.pending()).isZero();
      assertThat(byFate[s][EventFate.ACCEPTED.code()]).as("accepted, source %d", s).isEqualTo(c.accepted());
      assertThat(byFate[s][EventFate.VETOED.code()]).as("vetoed, source %d", s).isEqualTo(c.vetoed());
      for (RejectReason reason : RejectReason.values()) {
        assertThat(byFate[s][EventFate.of(reason).code()]).as("%s, source %d", reason, s).isEqualTo(c.rejected().get(reason));
      }
      for (GateReason reason : GateReason.values()) {
        assertThat(byFate[s][EventFate.of(reason).code()]).as("%s, source %d", reason, s).isEqualTo(c.gated().get(reason));
      }
    }

    // 4. Every spectrum rebuilt from the rows (state, fate, energy) = the pipeline's spectrum.
    Map<String, SpectrumSnapshot> spectra = new HashMap<>();
    for (PipelineSnapshot.DetectorSnapshot d : expected.detectors()) {
      d.spectra().forEach(s -> spectra.put(s.labels().name(), s));
    }
    expected.naiSpectra().forEach(s -> spectra.put(s.labels().name(), s));
    Map<String, long[]> rebuilt = new HashMap<>();
    for (SpectrumSnapshot s : spectra.values()) {
      rebuilt.put(s.labels().name(), new long[s.binning().binCount() + 3]);
    }
    for (int i = 0; i < n; i++) {
      int s = r.source[i];
      EventFate fate = EventFate.ofCode(r.fate[i]);
      if (s < 0 || r.state[i] == ReactorState.UNKNOWN.ordinal() || fate == EventFate.REJECTED_LATE || fate == EventFate.REJECTED_FAKE) {
        continue; // never reached the spectra (not merged, or no reactor state)
      }
      EventPipeline.Source src = sources.get(s);
      String st = r.state[i] == ReactorState.ON.ordinal() ? "on" : "off";
      if (!src.hpge()) {
        fill(rebuilt, spectra, "nai-board" + src.boardId() + "-ch" + src.channel() + "-" + st + "-all", r.energy[i]);
        continue;
      }
      String prefix = src.detector() + "-" + st + "-";
      fill(rebuilt, spectra, prefix + "all", r.energy[i]);
      if (fate != EventFate.VETOED) {
        fill(rebuilt, spectra, prefix + "after-veto", r.energy[i]);
      }
      if (fate == EventFate.ACCEPTED) {
        fill(rebuilt, spectra, prefix + "after-gates", r.energy[i]);
      }
    }
    for (SpectrumSnapshot s : spectra.values()) {
      long[] b = rebuilt.get(s.labels().name());
      assertThat(Arrays.equals(Arrays.copyOf(b, s.binning().binCount()), s.counts())).as("%s rebuilt from the rows", s.labels().name())
          .isTrue();
      assertThat(new long[] {b[b.length - 3], b[b.length - 2], b[b.length - 1]}).as("%s under/overflow/invalid from the rows",
          s.labels().name()).containsExactly(s.underflowCount(), s.overflowCount(), s.invalidCount());
    }

    // 5. The exported spectra = the pipeline's, with live time, mass and binning bit for bit.
    assertThat(r.spectra).hasSize(spectra.size());
    for (JsonNode j : r.spectra) {
      SpectrumSnapshot s = spectra.get(j.get("name").asText());
      assertThat(s).as("exported spectrum %s", j.get("name")).isNotNull();
      assertThat(text(j, "detector")).isEqualTo(s.labels().detector());
      assertThat(text(j, "reactor_state")).isEqualTo(s.labels().reactorState());
      assertThat(text(j, "stage")).isEqualTo(s.labels().stage());
      long[] counts = new long[j.get("counts").size()];
      for (int k = 0; k < counts.length; k++) {
        counts[k] = j.get("counts").get(k).asLong();
      }
      assertThat(Arrays.equals(counts, s.counts())).as("counts of %s", s.labels().name()).isTrue();
      assertBits(num(j, "live_time", "live_time_s"), s.liveTimeSeconds());
      assertBits(num(j, "mass", "mass_kg"), s.massKg());
      assertBits(num(j, "exposure", "exposure_kg_d"), s.massKg() * s.liveTimeSeconds() / 86400);
      assertBits(num(j, "first", "low_kev"), s.binning().lowKeV());
      assertBits(num(j, "step", "bin_width_kev"), s.binning().binWidthKeV());
      assertThat(num(j, "underflow", "underflow")).isEqualTo(s.underflowCount());
      assertThat(num(j, "overflow", "overflow")).isEqualTo(s.overflowCount());
      assertThat(num(j, "invalid", "invalid")).isEqualTo(s.invalidCount());
    }

    // 6. Accounting and live-time tables = the pipeline's.
    JsonNode acc = r.tables.get("accounting");
    for (int s = 0; s < sources.size(); s++) {
      PipelineSnapshot.ChannelSnapshot c = expected.channels().get(s);
      assertThat(acc.get("received").get(s).asLong()).isEqualTo(c.received());
      assertThat(acc.get("accepted").get(s).asLong()).isEqualTo(c.accepted());
      assertThat(acc.get("vetoed").get(s).asLong()).isEqualTo(c.vetoed());
      assertThat(acc.get("gated_data_quality").get(s).asLong()).isEqualTo(c.gated().get(GateReason.DATA_QUALITY));
      assertThat(acc.get("rejected_pileup").get(s).asLong()).isEqualTo(c.rejected().get(RejectReason.PILEUP));
    }
    JsonNode live = r.tables.get("livetime");
    for (int d = 0; d < expected.detectors().size(); d++) {
      PipelineSnapshot.DetectorSnapshot det = expected.detectors().get(d);
      int off = d * 3;
      assertBits(live.get(col(live, "live_time_before_gates", "live_time_before_gates_s")).get(off).asDouble(),
          det.liveTimeBeforeGatesOffSeconds());
      assertBits(live.get(col(live, "live_time_before_gates", "live_time_before_gates_s")).get(off + 1).asDouble(),
          det.liveTimeBeforeGatesOnSeconds());
      assertBits(live.get(col(live, "live_time_after_gates", "live_time_after_gates_s")).get(off).asDouble(), det.liveTimeOffSeconds());
      assertBits(live.get(col(live, "live_time_after_gates", "live_time_after_gates_s")).get(off + 1).asDouble(), det.liveTimeOnSeconds());
    }

    // 7. Every merged event carries the reactor state and power of the reactor table at its time, and
    //    every power of the table is one the boards' STATUS frames reported (ppm / 1e6) or the
    //    default of its state (1 ON, 0 otherwise).
    JsonNode reactor = r.tables.get("reactor");
    JsonNode rt = reactor.get(col(reactor, "time", "time_ns"));
    JsonNode rs = reactor.get(col(reactor, "state", "reactor_state"));
    JsonNode rp = reactor.get(col(reactor, "power", "reactor_power"));
    for (int k = 0; rp != null && k < rp.size(); k++) {
      double p = rp.get(k).asDouble();
      double fallback = rs.get(k).asInt() == ReactorState.ON.ordinal() ? 1.0 : 0.0;
      assertThat(p == fallback || reportedPowers.contains(p)).as("reactor table power %s (row %d) was reported", p, k).isTrue();
    }
    long[] changeNs = new long[rt == null ? 0 : rt.size()]; // an LH5 table without rows is left out
    for (int k = 0; k < changeNs.length; k++) {
      changeNs[k] = rt.get(k).asLong();
      if (k > 0) {
        assertThat(changeNs[k]).isGreaterThan(changeNs[k - 1]);
      }
    }
    for (int i = 0; i < n; i++) {
      EventFate fate = EventFate.ofCode(r.fate[i]);
      if (r.source[i] < 0 || fate == EventFate.REJECTED_LATE || fate == EventFate.REJECTED_FAKE) {
        assertThat(r.state[i]).isEqualTo(ReactorState.UNKNOWN.ordinal());
        assertThat(r.power[i]).as("power of row %d, never merged", i).isNaN();
        continue;
      }
      int k = Arrays.binarySearch(changeNs, r.time[i]);
      int at = k >= 0 ? k : -k - 2;
      int state = at < 0 ? ReactorState.UNKNOWN.ordinal() : rs.get(at).asInt();
      assertThat(r.state[i]).as("reactor state of row %d at %d ns", i, r.time[i]).isEqualTo(state);
      assertBits(r.power[i], at < 0 ? 0.0 : rp.get(at).asDouble());
    }

    // 8. The configuration it ran with.
    assertThat(r.config).isEqualTo(configText);
  }

  private static String col(JsonNode table, String lh5, String parquet) {
    return table.has(lh5) ? lh5 : parquet;
  }

  private static String text(JsonNode j, String field) {
    return j.get(field).asText();
  }

  private static double num(JsonNode j, String lh5, String parquet) {
    return (j.has(lh5) ? j.get(lh5) : j.get(parquet)).asDouble();
  }

  private static void assertBits(double got, double want) {
    assertThat(Double.doubleToRawLongBits(got)).as("%s bit for bit (want %s)", got, want).isEqualTo(Double.doubleToRawLongBits(want));
  }

  private static void fill(Map<String, long[]> rebuilt, Map<String, SpectrumSnapshot> spectra, String name, double keV) {
    SpectrumSnapshot s = spectra.get(name);
    assertThat(s).as("spectrum %s", name).isNotNull();
    long[] b = rebuilt.get(name);
    int bin = s.binning().binIndex(keV);
    int n = s.binning().binCount();
    if (bin == Binning.INVALID) {
      b[n + 2]++;
    } else if (bin == Binning.UNDERFLOW) {
      b[n]++;
    } else if (bin >= n) {
      b[n + 1]++;
    } else {
      b[bin]++;
    }
  }
}
