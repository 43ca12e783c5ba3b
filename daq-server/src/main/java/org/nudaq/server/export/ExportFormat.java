package org.nudaq.server.export;

/** The export formats (docs/export.md). */
public enum ExportFormat {
  /** LH5: HDF5 with the LEGEND datatype conventions, for pygama / legend-pydataobj and h5py. */
  LH5,
  /** Parquet: for pandas, DuckDB, Spark and everything else. */
  PARQUET
}
