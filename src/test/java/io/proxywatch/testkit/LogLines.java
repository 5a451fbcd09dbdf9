package io.proxywatch.testkit;

import io.proxywatch.config.ConsoleLogging;

import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** The lines logged while it is open (all loggers, "LEVEL logger message"), for tests that check what was said. */
public final class LogLines implements AutoCloseable {
    private final Queue<String> out = new ConcurrentLinkedQueue<>();
    private final Logger root = Logger.getLogger("");
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (isLoggable(r)) {
                out.add(ConsoleLogging.levelName(r.getLevel()) + " " + r.getLoggerName() + " "
                        + new java.util.logging.SimpleFormatter().formatMessage(r));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    public LogLines() {
        handler.setLevel(Level.INFO);
        root.addHandler(handler);
    }

    public List<String> lines() {
        return out.stream().flatMap(l -> Arrays.stream(l.split("\n"))).filter(l -> !l.isEmpty()).toList();
    }

    /** Lines containing every one of {@code parts}. */
    public long count(String... parts) {
        return lines().stream().filter(l -> Arrays.stream(parts).allMatch(l::contains)).count();
    }

    @Override
    public void close() {
        root.removeHandler(handler);
    }
}
