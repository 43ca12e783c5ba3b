package org.nudaq.server.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nudaq.monitor.config.JournalConfig;
import org.nudaq.monitor.wire.FrameWriter;
import org.nudaq.server.ingest.IngestRecorder;
import org.nudaq.server.ingest.RecordingRefusedException;
import org.nudaq.server.journal.JournalWriter;
import org.nudaq.server.journal.SessionProgress;

/**
 * Every recorder decorator forwards every call: a mapped-file fault reported to the daemon's
 * {@link ProgressRecorder} reaches the journal, which then stops accepting (issue 13: it was dropped by
 * the interface's default no-op). The interface has no default bodies, so a decorator that forgets a
 * method does not compile; the first test fails if one comes back.
 */
class RecorderForwardingTest {

  @Test
  void theRecorderInterfaceHasNoDefaultBodies() {
    List<String> defaults = new ArrayList<>();
    for (Method m : IngestRecorder.class.getDeclaredMethods()) {
      if (m.isDefault()) {
        defaults.add(m.getName());
      }
    }
    assertThat(defaults).as("IngestRecorder methods with a default body (a decorator could silently drop them)").isEmpty();
  }

  @Test
  void theProgressRecorderForwardsEveryMethodOfTheInterface() throws Exception {
    List<String> seen = new ArrayList<>();
    IngestRecorder inner = (IngestRecorder) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {IngestRecorder.class}, (proxy, method, args) -> {
          seen.add(method.getName());
          return method.getReturnType() == boolean.class ? Boolean.TRUE : null;
        });
    IngestRecorder decorator = new ProgressRecorder(inner, new SessionProgress());
    List<String> methods = new ArrayList<>();
    for (Method m : IngestRecorder.class.getMethods()) {
      if (Modifier.isStatic(m.getModifiers())) {
        continue;
      }
      methods.add(m.getName());
      m.invoke(decorator, arguments(m));
    }
    assertThat(methods).contains("faulted", "accepting", "frame", "linkState", "idle", "reactorState", "finished");
    assertThat(seen).as("calls that reached the decorated recorder").containsExactlyInAnyOrderElementsOf(methods);
  }

  @Test
  void aMappedFileFaultReportedThroughTheProgressRecorderStopsTheJournal(@TempDir Path dir) {
    try (JournalWriter journal = new JournalWriter(dir, JournalConfig.defaults(), Clock.systemUTC(), d -> 1L << 40, 0)) {
      IngestRecorder recorder = new ProgressRecorder(journal, new SessionProgress());
      byte[] frame = eventsFrame(1);
      recorder.frame(0, frame, frame.length, 0);
      assertThat(recorder.accepting()).isTrue();

      recorder.faulted(new InternalError("a fault occurred in an unsafe memory access operation (test)"));

      assertThat(journal.mappedFault()).as("the fault reached the journal writer").isTrue();
      assertThat(recorder.accepting()).as("the journal stops accepting after a mapped-file fault").isFalse();
      long frames = journal.frames();
      try {
        recorder.frame(0, eventsFrame(2), eventsFrame(2).length, 0);
        throw new AssertionError("a frame was journaled after the mapped file faulted");
      } catch (RecordingRefusedException expected) {
        assertThat(journal.frames()).isEqualTo(frames);
      }
    }
  }

  private static Object[] arguments(Method m) {
    Class<?>[] types = m.getParameterTypes();
    Object[] args = new Object[types.length];
    for (int i = 0; i < types.length; i++) {
      Class<?> t = types[i];
      if (t == int.class) {
        args[i] = m.getName().equals("frame") && i == 2 ? eventsFrame(1).length : 0;
      } else if (t == long.class) {
        args[i] = 0L;
      } else if (t == double.class) {
        args[i] = 1.0;
      } else if (t == boolean.class) {
        args[i] = true;
      } else if (t.isEnum()) {
        args[i] = t.getEnumConstants()[0];
      } else if (t == byte[].class) {
        args[i] = eventsFrame(1);
      } else if (t == Throwable.class) {
        args[i] = new InternalError("test");
      }
    }
    return args;
  }

  /** An EVENTS frame of board 0 with one event. */
  private static byte[] eventsFrame(long sequence) {
    ByteBuffer buf = ByteBuffer.allocate(52);
    FrameWriter w = new FrameWriter();
    w.beginEvents(buf, 0, 0, sequence);
    w.appendEvent(1000, 0, 100, 0, 0);
    int n = w.finishEvents();
    byte[] out = new byte[n];
    buf.get(0, out);
    return out;
  }
}
