package org.nudaq.server.export;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import org.nudaq.server.pipeline.EventFate;
import org.nudaq.server.pipeline.PipelineSnapshot;
import org.nudaq.server.pipeline.ReactorState;

/**
 * Names and derived rows both formats share, so an LH5 and a Parquet export of the same input hold
 * the same tables under the same names (docs/export.md). Stateless; thread-safe.
 */
final class ExportNames {
  /** Written into every export ({@code nudaq_export_format}). */
  static final String FORMAT = "nudaq-export";
  /** Layout version; raised with any change a reader could misread. */
  static final int VERSION = 1;

  private ExportNames() {}

  /** A column/group name: lower case, {@code _} for {@code -}: {@code on-after-gates} → {@code on_after_gates}. */
  static String key(String name) {
    return name.toLowerCase(Locale.ROOT).replace('-', '_').replace('/', '_');
  }

  /** The fate's name in the code tables: {@code accepted}, {@code vetoed}, {@code rejected_pileup}, {@code gated_muon}... */
  static String fate(EventFate f) {
    return key(f.name());
  }

  /**
   * The live-time table: one row per HPGe detector and reactor state (OFF, ON, UNKNOWN).
   *
   * @param detectorNames      "0=hpge-1,..."
   * @param detectorIndex      the detector's index in the configuration
   * @param reactorState       {@link ReactorState} ordinal
   * @param beforeGatesSeconds live time from the board counters (real − dead), s
   * @param afterGatesSeconds  after the muon, transition and data-quality gates, s (0 for UNKNOWN: never analysed)
   * @param exposureKgDays     mass × afterGatesSeconds / 86400, kg·d
   */
  record LiveTimeRows(String detectorNames, long[] detectorIndex, byte[] reactorState, double[] beforeGatesSeconds,
      double[] afterGatesSeconds, double[] exposureKgDays) {}

  static LiveTimeRows liveTimeRows(PipelineSnapshot snapshot) {
    List<PipelineSnapshot.DetectorSnapshot> dets = snapshot.detectors();
    int n = dets.size() * 3;
    long[] index = new long[n];
    byte[] state = new byte[n];
    double[] before = new double[n];
    double[] after = new double[n];
    double[] exposure = new double[n];
    StringJoiner names = new StringJoiner(",");
    List<Double> masses = new ArrayList<>();
    for (int d = 0; d < dets.size(); d++) {
      PipelineSnapshot.DetectorSnapshot det = dets.get(d);
      names.add(d + "=" + det.detector());
      double mass = det.spectra().get(0).massKg();
      masses.add(mass);
      double[][] v = {
          {det.liveTimeBeforeGatesOffSeconds(), det.liveTimeOffSeconds()},
          {det.liveTimeBeforeGatesOnSeconds(), det.liveTimeOnSeconds()},
          {det.liveTimeUnknownSeconds(), 0}};
      for (ReactorState st : ReactorState.values()) {
        int i = d * 3 + st.ordinal();
        index[i] = d;
        state[i] = (byte) st.ordinal();
        before[i] = v[st.ordinal()][0];
        after[i] = v[st.ordinal()][1];
        exposure[i] = mass * after[i] / 86400;
      }
    }
    return new LiveTimeRows(names.toString(), index, state, before, after, exposure);
  }
}
