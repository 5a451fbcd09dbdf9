package io.proxywatch.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Tells the JVM's optimising compiler (C2) to leave alone the code that runs once per chunk, batch, request or
 * start-up, never per line: Camel, the HTTP client, Vert.x and Netty, the YAML parser, the JDK's bytecode spinner,
 * class loading (module image, the system modules' resource look-ups, jar index, class loaders), reflection and the
 * case-insensitive comparison behind Camel's headers, and our own wiring, rules loading and signature analysis.
 * Their methods stay with the quick compiler (C1), at its fastest level; the per-line code (parsing, detection,
 * rendering, the JDK's strings and maps, TreeMap too, which a fleet's windows use per request) is still optimised
 * fully. The list is {@value #RESOURCE}: a package whose code comes to run per line must not be in it, nor a method
 * whose name a per-line method shares (a directive names methods, not signatures).
 *
 * <p>Why: on two cores the JIT took ~10 of a bulk run's 25 CPU seconds, half of C2's on Camel's bean binding,
 * simple language and exchange copying, while both cores were needed for the pipeline. With these directives a
 * million-line bulk run took ~2.8 CPU s less JIT and ~1.5 s less of the pipeline's own CPU (bulk +13%, see
 * BENCHMARKS.md); the JDK's class loading and reflection saved another 0.2-0.3 JIT CPU s of a bulk run.
 *
 * <p>A jar cannot pass JVM options to {@code java -jar}, so the directives are added at run time, as
 * {@code jcmd PID Compiler.directives_add} would, through the JDK's diagnostic-command MBean, on a thread of its own
 * so that start-up does not wait for the management classes. A JVM without that command (not HotSpot) runs as
 * before: logged at debug, nothing else changes.
 */
public final class CompilerDirectives {
    static final String RESOURCE = "/META-INF/proxywatch/compiler-directives.json";
    private static final Logger LOG = LoggerFactory.getLogger(CompilerDirectives.class);

    private CompilerDirectives() {
    }

    /** Adds the packaged directives on a daemon thread; call in main as soon as logging is set up. */
    public static void start() {
        Thread t = new Thread(CompilerDirectives::add, "compiler-directives");
        t.setDaemon(true);
        t.start();
    }

    /** Adds the packaged directives now; false (logged at debug) when the JVM does not take them. */
    static boolean add() {
        Path file = null;
        try (InputStream in = CompilerDirectives.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return false;
            }
            // the command reads a file, not a string
            file = Files.createTempFile("proxywatch-jit", ".json");
            Files.write(file, in.readAllBytes());
            String out = String.valueOf(diagnosticCommand("compilerDirectivesAdd", file.toString())).strip();
            // "1 compiler directives added", or the parser's complaint and "Could not load file"
            boolean added = out.endsWith("directives added");
            LOG.debug("compiler directives: {}", out);
            return added;
        } catch (Exception | LinkageError e) {
            LOG.debug("compiler directives not added ({}); every method may be optimised", e.toString());
            return false;
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // a few hundred bytes in the temp directory
                }
            }
        }
    }

    /** The directives in force, as {@code jcmd PID Compiler.directives_print} prints them (for tests). */
    static String inForce() throws Exception {
        return String.valueOf(diagnosticCommand("compilerDirectivesPrint"));
    }

    private static Object diagnosticCommand(String operation, String... args) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        return server.invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"), operation,
                new Object[] {args}, new String[] {String[].class.getName()});
    }
}
