package io.proxywatch.config;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads and links, on a second thread, the classes a start-up needs, in the order it needs them, while the main
 * thread is still parsing settings and building routes. A start loads ~3,800 classes from the jar and the JDK (outside
 * the JDK's shared archive), at ~1,600 a second on one core: this puts the second core to work on them, so the main thread finds most of them
 * ready. Classes are not initialised here (no static initialiser runs early or on this thread).
 *
 * <p>The list, {@value #LIST}, is what {@code bench/startup-classes.sh} recorded from a real start; a stale entry
 * costs nothing (it is skipped) and {@code ClassPreloaderTest} fails when the list no longer matches the jar's
 * dependencies.
 */
public final class ClassPreloader {
    static final String LIST = "/META-INF/proxywatch/startup-classes.txt";

    private ClassPreloader() {
    }

    /** Starts the loading thread (a daemon: it never holds the process up); call first thing in main. */
    public static void start() {
        Thread t = new Thread(() -> preload(names(), ClassPreloader.class.getClassLoader()), "class-preload");
        t.setDaemon(true);
        t.start();
    }

    /** The names in the packaged list; none when it is missing (a build from sources without it). */
    static List<String> names() {
        List<String> names = new ArrayList<>(4096);
        try (InputStream in = ClassPreloader.class.getResourceAsStream(LIST)) {
            if (in == null) {
                return names;
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    names.add(line.strip());
                }
            }
        } catch (IOException e) {
            // a start without preloading is only slower
        }
        return names;
    }

    /** @return how many of {@code names} were loaded and linked */
    static int preload(List<String> names, ClassLoader loader) {
        int done = 0;
        for (String name : names) {
            try {
                // asking for the constructors links the class (verifies its bytecode) without initialising it
                Class.forName(name, false, loader).getDeclaredConstructors();
                done++;
            } catch (ClassNotFoundException | LinkageError | SecurityException e) {
                // not on this class path (an optional part) or not linkable alone: the main thread decides
            }
        }
        return done;
    }
}
