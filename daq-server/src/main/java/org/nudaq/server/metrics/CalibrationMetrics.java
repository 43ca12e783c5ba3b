package org.nudaq.server.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.nudaq.monitor.calibration.Calibration;
import org.nudaq.monitor.calibration.LineFit;
import org.nudaq.monitor.config.BoardConfig;
import org.nudaq.monitor.config.ChannelConfig;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.server.calibration.CalibrationHistory;

/**
 * The online calibration of each HPGe channel (issue 17; docs/metrics.md): the energy scale and resolution
 * in force, each configured line's fitted position and FWHM in the newest attempt, how far the newest applied scale
 * moves the lines ({@link Calibration#maxShiftKeV}, computed once by the calibrator), whether the newest attempt
 * succeeded, and counts of failures and steps.
 * Read from the {@link CalibrationHistory} when scraped; thread-safe.
 */
public final class CalibrationMetrics implements MeterBinder {
  private final CalibrationHistory history;
  private final NudaqConfig config;
  private final Iterable<Tag> tags;

  public CalibrationMetrics(CalibrationHistory history, NudaqConfig config, Iterable<Tag> tags) {
    this.history = history;
    this.config = config;
    this.tags = tags;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("nudaq.calibration.alarm.shift.kev", config, c -> c.calibration().alarmShiftKeV())
        .description("calibration.alarmShiftKeV: a line moving more than this is alarmed (NudaqCalibrationDrift)")
        .tags(tags).register(registry);
    for (BoardConfig b : config.digitizer().boards()) {
      for (ChannelConfig ch : b.channels()) {
        if (ch.role() != ChannelConfig.Role.HPGE) {
          continue;
        }
        String key = "board" + b.id() + "/ch" + ch.channel();
        Tags t = Tags.of(tags).and("detector", ch.detector(), "board", Integer.toString(b.id()), "channel",
            Integer.toString(ch.channel()));
        Gauge.builder("nudaq.calibration.gain.kev.per.adc", history, h -> applied(h, key, c -> c.scale().gainKeVPerAdc()))
            .description("Gain of the online calibration in force, keV per ADC channel (NaN before the first)")
            .tags(t).register(registry);
        Gauge.builder("nudaq.calibration.offset.kev", history, h -> applied(h, key, c -> c.scale().offsetKeV()))
            .description("Offset of the online calibration in force, keV (NaN before the first)").tags(t).register(registry);
        Gauge.builder("nudaq.calibration.fwhm.kev", history, h -> applied(h, key, c -> c.resolution().fwhmKeV(10.37)))
            .description("FWHM at 10.37 keV of the resolution curve in force, keV (NaN before the first)")
            .tags(t).register(registry);
        Gauge.builder("nudaq.calibration.shift.kev", history, h -> applied(h, key, Calibration::maxShiftKeV))
            .description("How far the newest applied energy scale moves the fitted lines compared with the previous "
                + "one (the configured one before the first), largest in magnitude, keV (signed; NaN before the first)")
            .tags(t).register(registry);
        Gauge.builder("nudaq.calibration.ok", history, h -> {
          Calibration c = h.latestAttempt(key);
          return c == null ? Double.NaN : c.status().applied() ? 1 : 0;
        }).description("1 if the newest calibration attempt gave a calibration, 0 if it failed (too few counts, fits "
            + "failed: the last good calibration stays), NaN before the first").tags(t).register(registry);
        Gauge.builder("nudaq.calibration.data.time.seconds", history, h -> applied(h, key, c -> c.atNs() * 1e-9))
            .description("Data time of the calibration in force, s").tags(t).register(registry);
        FunctionCounter.builder("nudaq.calibration.failures", history, h -> h.failures(key))
            .description("Calibration attempts that failed (the last good calibration stayed)").tags(t).register(registry);
        FunctionCounter.builder("nudaq.calibration.steps", history, h -> h.steps(key))
            .description("Epochs started by a detected sudden gain step").tags(t).register(registry);
        for (double e : lines(ch)) {
          Tags lt = t.and("line", String.format(Locale.ROOT, "%.2f", e));
          Gauge.builder("nudaq.calibration.line.position.adc", history, h -> line(h, key, e, false))
              .description("Fitted position of the line in the newest attempt, ADC channels (NaN if not fitted)")
              .tags(lt).register(registry);
          Gauge.builder("nudaq.calibration.line.fwhm.kev", history, h -> line(h, key, e, true))
              .description("Fitted FWHM of the line in the newest attempt, keV (NaN if not fitted)").tags(lt).register(registry);
        }
      }
    }
  }

  private List<Double> lines(ChannelConfig ch) {
    List<Double> out = new ArrayList<>();
    for (double e : config.calibration().linesKeV()) {
      out.add(e);
    }
    if (config.calibration().pulserKeV() > 0) {
      out.add(config.calibration().pulserKeV());
    }
    return out;
  }

  private static double applied(CalibrationHistory h, String key, java.util.function.ToDoubleFunction<Calibration> f) {
    Calibration c = h.latestApplied(key);
    return c == null ? Double.NaN : f.applyAsDouble(c);
  }

  private static double line(CalibrationHistory h, String key, double energyKeV, boolean fwhm) {
    Calibration c = h.latestAttempt(key);
    if (c == null) {
      return Double.NaN;
    }
    for (LineFit l : c.lines()) {
      if (l.energyKeV() == energyKeV) {
        return fwhm ? 2.3548200450309493 * l.sigmaAdc() * c.scale().gainKeVPerAdc() : l.positionAdc();
      }
    }
    return Double.NaN;
  }
}
