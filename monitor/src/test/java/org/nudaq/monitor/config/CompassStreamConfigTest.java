package org.nudaq.monitor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code compass.stream}: bound with its defaults; bad values and waveforms named by key path. */
class CompassStreamConfigTest {
  private static final String LAST_MAPPING = "    - {board: 0, channel: 1, toBoard: 0, toChannel: 1}\n";

  private static String gemma1With(String streamLines) throws Exception {
    String text = Files.readString(Path.of("../config/gemma-1.yaml"));
    assertThat(text).contains(LAST_MAPPING);
    return text.replace(LAST_MAPPING, LAST_MAPPING + streamLines);
  }

  @Test
  void streamIsBoundWithDefaultsAndItsLayoutGivesCompassHeaderFlags() throws Exception {
    NudaqConfig c = new ConfigLoader().parse("s.yaml", gemma1With("""
          stream:
            port: 5556
            energyShort: true
        """));
    CompassStreamConfig s = c.compass().stream();
    assertThat(s).isEqualTo(new CompassStreamConfig("127.0.0.1", 5556, true, false, true, 64, 3600));
    assertThat(s.headerFlags()).isEqualTo(0x5);
    assertThat(new ConfigLoader().load(Path.of("../config/gemma-1.yaml")).compass().stream()).isNull();
  }

  @Test
  void badStreamSettingsAreNamedByKeyPath() throws Exception {
    assertThatThrownBy(() -> new ConfigLoader().parse("bad.yaml", gemma1With("""
          stream:
            waveforms: true
            windowRecords: 2
            colour: blue
        """))).isInstanceOf(ConfigException.class)
        .hasMessageContaining("compass.stream.port").hasMessageContaining("is required")
        .hasMessageContaining("compass.stream.waveforms").hasMessageContaining("not supported")
        .hasMessageContaining("compass.stream.windowRecords").hasMessageContaining("8..4096, got 2")
        .hasMessageContaining("colour");
  }
}
