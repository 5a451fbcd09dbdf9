package io.proxywatch.config;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UnsupportedEncodingException;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/**
 * The jar's log: every line to standard output as {@code 23:17:41.107 INFO  [main] Tailer - message}, INFO and up,
 * Camel's own loggers at WARN except its start-up summary. SLF4J (what proxywatch, Camel, Vert.x and Jedis log to)
 * is bound to java.util.logging, which the JDK's class-data archive already holds: Log4j 2 took 0.6 s and 650
 * classes of every start.
 */
public final class ConsoleLogging {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
    // java.util.logging keeps loggers by weak reference: a level set on one nobody holds would be forgotten
    private static List<Logger> configured;

    private ConsoleLogging() {
    }

    /**
     * Call first thing in main, before anything logs: the log manager is chosen when java.util.logging is first
     * touched.
     */
    public static synchronized void install() {
        System.setProperty("java.util.logging.manager", KeepOnShutdown.class.getName());
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        root.addHandler(new StdoutHandler());
        root.setLevel(Level.INFO);
        Logger camel = Logger.getLogger("org.apache.camel");
        camel.setLevel(Level.WARNING);
        Logger camelStart = Logger.getLogger("org.apache.camel.impl.engine.AbstractCamelContext");
        camelStart.setLevel(Level.INFO);
        configured = List.of(root, camel, camelStart);
    }

    /**
     * The JDK resets logging in a shutdown hook of its own, which would silence the lines Camel writes while it
     * stops in its shutdown hook (checkpoints written, batches flushed): this manager never resets.
     */
    public static final class KeepOnShutdown extends LogManager {
        @Override
        public void reset() {
        }
    }

    /** Standard output, flushed after every line, in UTF-8 whatever the platform's default. */
    private static final class StdoutHandler extends StreamHandler {
        StdoutHandler() {
            super(System.out, new LineFormat());
            try {
                setEncoding("UTF-8");
            } catch (UnsupportedEncodingException e) {
                throw new IllegalStateException(e);
            }
            setLevel(Level.ALL);
        }

        @Override
        public synchronized void publish(LogRecord record) {
            super.publish(record);
            flush();
        }

        @Override
        public void close() {
            flush(); // standard output stays open
        }
    }

    /** {@code HH:mm:ss.SSS LEVEL [thread] Logger - message}, then the stack trace if any; SLF4J's level names. */
    static final class LineFormat extends Formatter {
        @Override
        public String format(LogRecord r) {
            StringBuilder sb = new StringBuilder(128);
            TIME.formatTo(LocalTime.ofInstant(r.getInstant(), ZoneId.systemDefault()), sb);
            String level = levelName(r.getLevel());
            sb.append(' ').append(level);
            sb.append("     ", 0, 5 - Math.min(5, level.length()));
            // handlers run on the thread that logs
            sb.append(" [").append(Thread.currentThread().getName()).append("] ");
            String name = r.getLoggerName() == null ? "" : r.getLoggerName();
            sb.append(name, name.lastIndexOf('.') + 1, name.length()).append(" - ").append(formatMessage(r)).append('\n');
            if (r.getThrown() != null) {
                StringWriter trace = new StringWriter();
                r.getThrown().printStackTrace(new PrintWriter(trace));
                sb.append(trace);
            }
            return sb.toString();
        }
    }

    /** SLF4J's name of a java.util.logging level: ERROR, WARN, INFO, DEBUG or TRACE. */
    public static String levelName(Level l) {
        int v = l.intValue();
        return v >= Level.SEVERE.intValue() ? "ERROR" : v >= Level.WARNING.intValue() ? "WARN"
                : v >= Level.INFO.intValue() ? "INFO" : v >= Level.FINE.intValue() ? "DEBUG" : "TRACE";
    }
}
