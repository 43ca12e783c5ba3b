package org.nudaq.server.compass;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nudaq.monitor.config.ConfigLoader;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.server.compass.CompassImportTest.Rec;
import org.nudaq.server.pipeline.EventPipeline;
import org.nudaq.server.pipeline.PipelineSnapshot;

/**
 * The feed takes runs of plain records (the CoMPASS channel of the record before, mapped to the open board, none of
 * the fake, our or trigger-counter flags) in loops of their own and every other record one by one (issue 19: C1).
 * One list file holding both of GEMMA-I's channels in runs of random length, records of unmapped channels, fake
 * records (each fake flag), our flags (pile-up, saturation, time-stamp reset and roll-over) and the trigger
 * counter's flag, in every order: the import must equal the pipeline fed record by record in time order through its
 * per-event entry (fake and unmapped records left out, flags made ours by the one table of the feed), and count the
 * fake, unmapped and trigger-counter records exactly.
 */
class CompassFeedPlainRunsTest {
  private final NudaqConfig config = new ConfigLoader().load(Path.of("../config/gemma-1.yaml"));

  @Test
  void runsOfPlainRecordsAmongTheOthersEqualThePipelineFedRecordByRecord(@TempDir Path dir) throws Exception {
    SplittableRandom r = new SplittableRandom(9);
    int[] special = {0x8000, 0x80, 0x4, 0x2, 0x8, 0x80000, 0x100000, 0x200000, 0x100, 0x8100, 0x20};
    List<Rec> recs = new ArrayList<>();
    long ps = 0;
    int channel = 0;
    long fake = 0;
    long unmapped = 0;
    long triggers = 0;
    while (recs.size() < 150_000) {
      int runLength = r.nextInt(4) == 0 ? 1 + r.nextInt(3) : 1 + r.nextInt(3000); // short runs and long ones
      int ch = r.nextInt(10) == 0 ? 5 + r.nextInt(3) : channel; // unmapped channels now and then
      channel = ch < 2 ? 1 - ch : channel;
      for (int i = 0; i < runLength; i++) {
        ps += 4000L * (1 + r.nextInt(600)); // distinct 4 ns ticks: the record-by-record order is unambiguous
        int flags = r.nextInt(3) == 0 ? 0x4000 : 0;
        if (r.nextInt(40) == 0) {
          flags |= special[r.nextInt(special.length)];
        }
        int energy = ch == 1 ? (r.nextInt(200) == 0 ? 65_000 : r.nextInt(2_000)) : r.nextInt(20_000);
        recs.add(new Rec(0, ch, ps, energy, flags));
        if ((flags & CompassDescriptor.FAKE_MASK) != 0) {
          fake++;
        } else if (ch > 1) {
          unmapped++;
        }
        triggers += (flags & CompassDescriptor.FLAG_TRIGGERS_1024) != 0 ? 1 : 0;
      }
    }
    Files.write(dir.resolve("Data_CH0.BIN"), CompassImportTest.binary2022(0x5, recs, 0));
    CompassImport.Result imported = new CompassImport(config).run(dir);

    EventPipeline p = new EventPipeline(config);
    p.onHello(0, 4000);
    long fed = 0;
    for (Rec rec : recs) {
      if ((rec.flags() & CompassDescriptor.FAKE_MASK) == 0 && rec.channel() < 2) {
        p.onEvent(0, rec.channel(), rec.ps() / 4000, rec.energy(), CompassFeed.ourFlags(rec.flags()), 0);
        fed++;
      }
    }
    p.finish();
    PipelineSnapshot direct = p.publish(java.time.Instant.ofEpochSecond(0));

    assertThat(fake).isPositive();
    assertThat(unmapped).isPositive();
    assertThat(triggers).isPositive();
    assertThat(imported.files()).hasSize(1);
    assertThat(imported.files().get(0).records()).isEqualTo(recs.size());
    assertThat(imported.files().get(0).fake()).isEqualTo(fake);
    assertThat(imported.files().get(0).unmapped()).isEqualTo(unmapped);
    assertThat(imported.liveTime().triggerCounterFlags()).containsExactly(triggers);
    assertThat(imported.replay().events()).isEqualTo(fed);
    assertThat(direct.totals().vetoed()).isPositive();
    assertThat(direct.totals().muons()).isPositive();
    assertThat(direct.totals().rejected().values().stream().mapToLong(Long::longValue).sum()).isPositive();
    DirectFeedAssert.assertSameAsDirectFeed(imported.replay().snapshot(), direct);
  }
}
