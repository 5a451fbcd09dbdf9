package io.proxywatch.config;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ClassPreloaderTest {
    static volatile boolean initialised;

    /** A class whose static initialiser would show that preloading ran it. */
    static final class Marker {
        static {
            initialised = true;
        }
    }

    /** Fails after a dependency upgrade or a rename: then run bench/startup-classes.sh and rebuild. */
    @Test
    void everyListedClassOfTheJarStillExistsAndLinks() {
        List<String> names = ClassPreloader.names();
        assertThat(names).hasSizeGreaterThan(2000)
                .contains("io.proxywatch.Application", "io.proxywatch.tail.TailConsumer",
                        "org.apache.camel.main.Main", "io.vertx.core.Vertx");
        List<String> missing = new ArrayList<>();
        ClassLoader loader = ClassPreloader.class.getClassLoader();
        for (String name : names) {
            // the JDK's own classes differ between JDK builds and platforms (skipped there at run time): only the
            // jar's are checked, which change with our dependencies
            if (name.matches("(java|javax|jdk|sun|com\\.sun)\\..*")) {
                continue;
            }
            if (ClassPreloader.preload(List.of(name), loader) != 1) {
                missing.add(name);
            }
        }
        assertThat(missing).as("classes in %s that no longer load; regenerate it with bench/startup-classes.sh",
                ClassPreloader.LIST).isEmpty();
    }

    @Test
    void loadsAndLinksWithoutRunningStaticInitialisersAndSkipsWhatIsMissing() throws Exception {
        String marker = Marker.class.getName();
        int done = ClassPreloader.preload(List.of("no.such.Clazz", marker, "java.util.concurrent.Phaser"),
                getClass().getClassLoader());
        assertThat(done).isEqualTo(2);
        assertThat(initialised).as("preloading ran a static initialiser").isFalse();
        Class.forName(marker, true, getClass().getClassLoader());
        assertThat(initialised).as("the check above can see an initialiser run").isTrue();
    }
}
