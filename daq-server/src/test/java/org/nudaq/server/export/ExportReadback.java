package org.nudaq.server.export;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An export as read back by a consumer we did not write — h5py for LH5, DuckDB's Node API for
 * Parquet — through the scripts in src/test/resources/export and src/test/node, which print it as
 * JSON. The two formats come back in one shape so one check covers both.
 */
final class ExportReadback {
  static final Path READERS = Path.of("target/export-readers");

  /** The event columns, in file order. */
  long[] time;
  int[] board;
  int[] channel;
  int[] source;
  int[] adc;
  double[] energy;
  int[] flags;
  int[] state;
  double[] power;
  int[] fate;
  int eventFiles;
  /** The per-table columns (JSON), the spectra (one object each) and the configuration text. */
  JsonNode tables;
  List<JsonNode> spectra = new ArrayList<>();
  String config;
  JsonNode raw;

  static ExportReadback lh5(Path export) throws Exception {
    Path python = Path.of("/usr/bin/python3");
    Process check = new ProcessBuilder(python.toString(), "-c", "import h5py").redirectErrorStream(true).start();
    if (!check.waitFor(60, TimeUnit.SECONDS) || check.exitValue() != 0) {
      throw new AssertionError("h5py is missing: run ./nudaq test, which installs the Debian package python3-h5py");
    }
    JsonNode j = run(List.of(python.toString(), script("read_lh5.py").toString(), export.toString()));
    ExportReadback r = new ExportReadback();
    r.raw = j;
    JsonNode e = j.get("events");
    r.columns(e.get("time"), e.get("board"), e.get("channel"), e.get("source"), e.get("energy_adc"), e.get("energy"),
        e.get("flags"), e.get("reactor_state"), e.get("reactor_power"), e.get("fate"));
    r.eventFiles = j.get("event_files").size();
    r.tables = j.get("tables");
    j.get("spectra").forEach(r.spectra::add);
    r.config = j.get("attrs").get("config").asText();
    return r;
  }

  static ExportReadback parquet(Path export) throws Exception {
    if (!Files.isDirectory(READERS.resolve("node_modules/@duckdb/node-api"))) {
      throw new AssertionError("@duckdb/node-api is missing from daq-server/" + READERS
          + ": run ./nudaq test, which installs it with npm ci from daq-server/src/test/node");
    }
    JsonNode j = run(List.of("node", Path.of("src/test/node/read_parquet.cjs").toAbsolutePath().toString(),
        READERS.toAbsolutePath().toString(), export.toString()));
    ExportReadback r = new ExportReadback();
    r.raw = j;
    JsonNode e = j.get("events");
    r.columns(e.get("time_ns"), e.get("board"), e.get("channel"), e.get("source"), e.get("energy_adc"), e.get("energy_kev"),
        e.get("flags"), e.get("reactor_state"), e.get("reactor_power"), e.get("fate"));
    r.eventFiles = j.get("event_files").size();
    r.tables = j.get("tables");
    JsonNode s = j.get("tables").get("spectra");
    for (int i = 0; i < s.get("name").size(); i++) {
      com.fasterxml.jackson.databind.node.ObjectNode o = new ObjectMapper().createObjectNode();
      final int k = i;
      s.fieldNames().forEachRemaining(f -> o.set(f, s.get(f).get(k)));
      r.spectra.add(o);
    }
    JsonNode kv = j.get("tables").get("export");
    for (int i = 0; i < kv.get("name").size(); i++) {
      if (kv.get("name").get(i).asText().equals("config")) {
        r.config = kv.get("value").get(i).asText();
      }
    }
    return r;
  }

  private void columns(JsonNode t, JsonNode b, JsonNode c, JsonNode s, JsonNode a, JsonNode e, JsonNode f, JsonNode st,
      JsonNode pw, JsonNode fa) {
    int n = t.size();
    time = new long[n];
    board = new int[n];
    channel = new int[n];
    source = new int[n];
    adc = new int[n];
    energy = new double[n];
    flags = new int[n];
    state = new int[n];
    power = new double[n];
    fate = new int[n];
    for (int i = 0; i < n; i++) {
      time[i] = t.get(i).asLong();
      board[i] = b.get(i).asInt();
      channel[i] = c.get(i).asInt();
      source[i] = s.get(i).asInt();
      adc[i] = a.get(i).asInt();
      energy[i] = e.get(i).isNull() ? Double.NaN : e.get(i).asDouble();
      flags[i] = f.get(i).asInt();
      state[i] = st.get(i).asInt();
      power[i] = pw.get(i).isNull() ? Double.NaN : pw.get(i).asDouble(); // JSON has no NaN: DuckDB's reader prints null
      fate[i] = fa.get(i).asInt();
    }
  }

  private static Path script(String name) {
    return Path.of("src/test/resources/export", name).toAbsolutePath();
  }

  private static JsonNode run(List<String> cmd) throws IOException, InterruptedException {
    Path outFile = Files.createTempFile("export-readback", ".json");
    Path errFile = Files.createTempFile("export-readback", ".err");
    try {
      Process p = new ProcessBuilder(cmd).redirectOutput(outFile.toFile()).redirectError(errFile.toFile()).start();
      if (!p.waitFor(300, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(cmd + " did not finish in 300 s");
      }
      if (p.exitValue() != 0) {
        throw new AssertionError(cmd + " exited " + p.exitValue() + ": " + Files.readString(errFile, StandardCharsets.UTF_8));
      }
      ObjectMapper m = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
      return m.readTree(outFile.toFile());
    } finally {
      Files.deleteIfExists(outFile);
      Files.deleteIfExists(errFile);
    }
  }
}
