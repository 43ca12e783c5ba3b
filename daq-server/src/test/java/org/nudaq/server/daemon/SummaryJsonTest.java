package org.nudaq.server.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link SummaryJson} writes summaries without an ObjectMapper (issue 19: start-up): the bytes must be
 * exactly those ObjectMapper with INDENT_OUTPUT wrote before, for every kind of value a summary holds
 * (and, through the fallback, for any other value).
 */
class SummaryJsonTest {
  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Test
  void plainValuesAreWrittenByteForByteAsObjectMapperWritesThem() throws IOException {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("experiment", "GEMMA-I \"quoted\" \\ tab\t newline\n é ☢");
    root.put("balances", true);
    root.put("no", false);
    root.put("nothing", null);
    root.put("int", -7);
    root.put("long", 9_223_372_036_854_775_807L);
    root.put("short", (short) 12);
    root.put("doubles", Arrays.asList(0.0, -0.0, 1e-9, 1.4697443140000002, 6.02214076e23, Double.MIN_VALUE, Double.MAX_VALUE,
        Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 86_400.0, 1e7, 123456789.0));
    root.put("float", 0.1f);
    root.put("big", List.of(new BigDecimal("1.50"), new BigInteger("123456789012345678901234567890")));
    root.put("units", Map.of("mu", "mu_B", "q", "e0"));
    root.put("empty map", Map.of());
    root.put("empty list", List.of());
    List<Object> channels = new ArrayList<>();
    for (int c = 0; c < 3; c++) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("board", c);
      m.put("rejected", Map.of("data_quality", 3L));
      m.put("flags", Arrays.asList(1L, null, 2L));
      channels.add(m);
    }
    root.put("channels", channels);
    assertThat(SummaryJson.plain(root)).isTrue();
    assertThat(ours(root)).isEqualTo(MAPPER.writeValueAsString(root));
  }

  @Test
  void otherValuesGoThroughObjectMapperAndGiveTheSameBytes() throws IOException {
    record Point(double xKeV, long counts) {}
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("point", new Point(1.5, 3));
    root.put("when", Instant.ofEpochSecond(1_700_000_000L).toString());
    root.put("state", Thread.State.NEW);
    assertThat(SummaryJson.plain(root)).isFalse();
    assertThat(SummaryJson.plain(Map.of(1, "a"))).as("a key that is not a string").isFalse();
    assertThat(ours(root)).isEqualTo(MAPPER.writeValueAsString(root));
  }

  private static String ours(Object value) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    SummaryJson.write(value, out);
    return out.toString(StandardCharsets.UTF_8);
  }
}
