package org.nudaq.monitor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The {@code slowControl} section: sensors, rules and their labels, and the errors of a bad section. */
class SlowControlConfigTest {
  private final ConfigLoader loader = new ConfigLoader();

  private String withSection(String section) throws Exception {
    return Files.readString(Path.of("../config/gemma-1.yaml")) + "\nslowControl:\n" + section;
  }

  @Test
  void sensorsAndRulesBindWithTheirLabels() throws Exception {
    NudaqConfig c = loader.parse("s.yaml", withSection("""
          sensors:
            - {name: ln2Level, unit: "%"}
            - {name: leakage, unit: pA}
          rules:
            - {sensor: ln2Level, below: 20}
            - {sensor: leakage, above: 50.5}
        """));
    SlowControlConfig sc = c.slowControl();
    assertThat(sc.sensors()).extracting(SlowControlConfig.Sensor::name).containsExactly("ln2Level", "leakage");
    assertThat(sc.sensor("ln2Level").unit()).isEqualTo("%");
    assertThat(sc.rules()).extracting(SlowControlConfig.Rule::label).containsExactly("ln2Level < 20", "leakage > 50.5");
    assertThat(sc.rules().get(0).violatedBy(19.99)).isTrue();
    assertThat(sc.rules().get(0).violatedBy(20)).as("the limit itself is fine").isFalse();
    assertThat(sc.rules().get(1).violatedBy(50.6)).isTrue();
  }

  @Test
  void withoutTheSectionThereAreNoSensors() {
    NudaqConfig c = loader.load(Path.of("../config/gemma-1.yaml"));
    assertThat(c.slowControl().sensors()).isEmpty();
    assertThat(c.slowControl().rules()).isEmpty();
  }

  @Test
  void aBadSectionNamesEveryMistake() throws Exception {
    String text = withSection("""
          sensors:
            - {name: ln2Level}
            - {name: ln2Level}
            - {unit: V}
          rules:
            - {sensor: hv, below: 3000}
            - {sensor: ln2Level, below: 20, above: 90}
            - {sensor: ln2Level, below: low}
        """);
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> loader.parse("bad.yaml", text));
    assertThat(e.errors()).extracting(ConfigError::keyPath).contains("slowControl.sensors[1].name", "slowControl.sensors[2].name",
        "slowControl.rules[0].sensor", "slowControl.rules[1]", "slowControl.rules[2].below");
    assertThat(e.getMessage()).contains("duplicate sensor name 'ln2Level'", "must name a sensor of slowControl.sensors",
        "exactly one of below");
  }
}
