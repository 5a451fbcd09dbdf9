package io.proxywatch.testkit;

import io.proxywatch.config.ConsoleLogging;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * The lines logged while it is open (all loggers, "LEVEL logger message", then any stack trace), for tests that
 * check what was said.
 */
public final class LogLines implements AutoCloseable {
    private static final SimpleFormatter MESSAGE = new SimpleFormatter();

    private final Queue<String> out = new ConcurrentLinkedQueue<>();
    private final Logger root = Logger.getLogger("");
    // held here while open: java.util.logging keeps loggers by weak reference, and would forget the level set
    private final Logger camel = Logger.getLogger("org.apache.camel");
    private final Level camelBefore = camel.getLevel();
    private final Level camelWhileOpen;
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (!isLoggable(r)) {
                return;
            }
            StringWriter line = new StringWriter().append(ConsoleLogging.levelName(r.getLevel())).append(' ')
                    .append(r.getLoggerName()).append(' ').append(MESSAGE.formatMessage(r));
            if (r.getThrown() != null) {
                r.getThrown().printStackTrace(new PrintWriter(line.append('\n')));
            }
            out.add(line.toString());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    /** INFO and up, as the jar logs. */
    public LogLines() {
        this(Level.INFO, null);
    }

    /**
     * Every level, with Camel's own loggers at DEBUG while open: for tests that look for what must never be logged
     * (a password), however verbose an operator makes the log.
     */
    public static LogLines everything() {
        return new LogLines(Level.ALL, Level.FINE);
    }

    private LogLines(Level level, Level camelLevel) {
        this.camelWhileOpen = camelLevel;
        handler.setLevel(level);
        root.addHandler(handler);
        if (camelLevel != null) {
            camel.setLevel(camelLevel);
        }
    }

    public List<String> lines() {
        return out.stream().flatMap(l -> Arrays.stream(l.split("\n"))).filter(l -> !l.isEmpty()).toList();
    }

    /** Everything captured, as one text. */
    public String text() {
        return String.join("\n", out);
    }

    /** Lines containing every one of {@code parts}. */
    public long count(String... parts) {
        return lines().stream().filter(l -> Arrays.stream(parts).allMatch(l::contains)).count();
    }

    @Override
    public void close() {
        root.removeHandler(handler);
        if (camelWhileOpen != null) {
            camel.setLevel(camelBefore);
        }
    }
}
