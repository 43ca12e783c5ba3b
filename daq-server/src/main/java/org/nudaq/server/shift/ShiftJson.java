package org.nudaq.server.shift;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Jackson's mapper of the shift files ({@link ShiftFiles}) and of the run summaries journaled with RUN_STOP
 * ({@link ShiftReplay}), made at its first use: the class is initialized when {@link #MAPPER} is first read
 * (an initialization-on-demand holder), so a replay of a session without runs or logbook entries does not load
 * and set up Jackson's ~300 classes, ~0.1 s of CPU (issue 19). Thread-safe (an ObjectMapper is, once
 * configured; users that need another configuration take a copy).
 */
final class ShiftJson {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private ShiftJson() {}
}
