/**
 * The simulator's CAEN-format outputs: the same generator and board models as the nudaq-protocol
 * simulation ({@link org.nudaq.sim.caen.CaenSimulation}, on the caller's thread) feeding either CoMPASS's
 * online TCP stream ({@link org.nudaq.sim.caen.CompassStreamServer}, plus its acceptor thread) or x27xx
 * raw files ({@link org.nudaq.sim.caen.X27xxRawWriter}).
 */
package org.nudaq.sim.caen;
