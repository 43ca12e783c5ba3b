/**
 * The shift's record (issue 18): runs with number, comments, configuration hash and summary; the logbook
 * (automatic and operator entries); slow-control readings. Everything is journaled before it applies and
 * rebuilt from the journal by replays ({@link org.nudaq.server.shift.ShiftReplay}); the daemon keeps one
 * file per run in its data directory ({@link org.nudaq.server.shift.ShiftFiles}).
 */
package org.nudaq.server.shift;
