// Reads a nudaq Parquet export back with DuckDB's Node API (@duckdb/node-api, a reader we did not
// write) and prints it as JSON on stdout for ExportConsumersTest: the events of every part file in
// order, every table, and the key-value metadata of the first part.
//
// usage: node read_parquet.cjs READERS_DIR EXPORT_DIR
//   READERS_DIR: where `npm ci` installed the pinned package.json (daq-server/target/export-readers)
const { createRequire } = require("module");
const path = require("path");
const fs = require("fs");

const [readers, out] = process.argv.slice(2);
const duckdb = createRequire(path.join(path.resolve(readers), "package.json"))("@duckdb/node-api");

function plain(v) {
  if (typeof v === "bigint") {
    return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  }
  if (v === null || typeof v !== "object") {
    return v;
  }
  if (Array.isArray(v)) {
    return v.map(plain);
  }
  if (v.items !== undefined) {
    return v.items.map(plain); // DuckDBListValue
  }
  if (v.bytes !== undefined) {
    return Buffer.from(v.bytes).toString("utf8"); // DuckDBBlobValue
  }
  return v.toString();
}

async function query(conn, sql) {
  const reader = await conn.runAndReadAll(sql);
  const names = reader.columnNames();
  const types = reader.columnTypes().map((t) => t.toString());
  const cols = {};
  names.forEach((n) => (cols[n] = []));
  for (const row of reader.getRows()) {
    row.forEach((v, i) => cols[names[i]].push(plain(v)));
  }
  return { columns: cols, types: Object.fromEntries(names.map((n, i) => [n, types[i]])) };
}

function lit(s) {
  return "'" + s.replace(/'/g, "''") + "'";
}

(async () => {
  const instance = await duckdb.DuckDBInstance.create(":memory:");
  const conn = await instance.connect();
  const parts = fs.readdirSync(path.join(out, "events")).filter((f) => f.endsWith(".parquet")).sort()
    .map((f) => path.join(out, "events", f));
  const list = "[" + parts.map(lit).join(", ") + "]";
  const result = { event_files: parts.map((p) => path.basename(p)) };
  const events = await query(conn, `SELECT * FROM read_parquet(${list})`);
  result.events = events.columns;
  result.event_types = events.types;
  result.tables = {};
  for (const t of ["fates", "reactor_states", "channels", "accounting", "livetime", "reactor", "runs", "export", "spectra"]) {
    result.tables[t] = (await query(conn, `SELECT * FROM read_parquet(${lit(path.join(out, t + ".parquet"))})`)).columns;
  }
  const kv = await query(conn, `SELECT key, value FROM parquet_kv_metadata(${lit(parts[0])})`);
  result.kv = Object.fromEntries(kv.columns.key.map((k, i) => [k, kv.columns.value[i]]));
  process.stdout.write(JSON.stringify(result));
})().catch((e) => {
  process.stderr.write("read_parquet: " + e.message + "\n");
  process.exit(1);
});
