package io.proxywatch.config;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class CompilerDirectivesTest {
    @Test
    void thePackagedDirectivesAreTakenByTheJvm() throws Exception {
        assertThat(CompilerDirectives.add()).isTrue();
        // as jcmd Compiler.directives_print shows them: every per-exchange library kept from C2
        assertThat(CompilerDirectives.inForce())
                .contains("org/apache/camel/*.*", "io/netty/*.*", "org/snakeyaml/*.*", "Exclude:true")
                // and the JDK's class loading, reflection and header-map code that start-up and Camel make hot
                .contains("jdk/internal/jimage/*.*", "jdk/internal/module/SystemModuleFinders$SystemModuleReader.*",
                        "java/util/zip/Zip*.*", "java/lang/reflect/*.*")
                // and none of the per-line code, ours or the JDK's
                .doesNotContain("io/proxywatch/parse/*", "io/proxywatch/record/*", "io/proxywatch/stats/*",
                        "io/proxywatch/detect/*", "io/proxywatch/detect/LiteralScanner.scan",
                        "io/proxywatch/detect/Detection.checkOrPass", "io/proxywatch/detect/RateDetector",
                        "io/proxywatch/detect/SignatureDetector", "io/proxywatch/parse/RecordParser",
                        "io/proxywatch/parse/AccessJsonLine", "io/proxywatch/record/RecordJson.write",
                        "io/proxywatch/tail", "io/proxywatch/level/*", "java/lang/String.", "java/lang/StringLatin1.*",
                        "java/util/HashMap", "java/util/ArrayList", "java/util/regex", "java/util/TreeMap", "java/util/*",
                        "java/lang/*");
    }

    @Test
    void everyClassTheDirectivesNameExists() throws Exception {
        // the JVM takes a pattern that matches nothing without a word: a misspelt or renamed class (the JDK's nested
        // classes included) would quietly leave its code to C2 again. Patterns with a wildcard in the class name
        // (org/apache/camel/*) are not checked
        Matcher m = Pattern.compile("\"([\\w/$]+)\\.([\\w<>*]+)\"").matcher(packagedDirectives());
        int named = 0;
        while (m.find()) {
            Class<?> c = Class.forName(m.group(1).replace('/', '.'));
            String method = m.group(2);
            if (method.endsWith("*") && !method.equals("*")) { // a method prefix: some method has it
                String prefix = method.substring(0, method.length() - 1);
                assertThat(Arrays.stream(c.getDeclaredMethods()).anyMatch(x -> x.getName().startsWith(prefix)))
                        .as(m.group()).isTrue();
            }
            named++;
        }
        assertThat(named).as("classes named").isGreaterThanOrEqualTo(7);
    }

    @Test
    void everyMethodTheDirectivesNameExistsOnce() throws Exception {
        // a renamed method would drop out of the list without a word; an overload would be kept from C2 too, though
        // it may be one that runs per record
        Matcher m = Pattern.compile("\"(io/proxywatch/[\\w/$]+)\\.([\\w<>]+)\"").matcher(packagedDirectives());
        int named = 0;
        while (m.find()) {
            Class<?> c = Class.forName(m.group(1).replace('/', '.'));
            String method = m.group(2);
            if (!method.equals("<init>")) { // every class has a constructor
                assertThat(Arrays.stream(c.getDeclaredMethods()).filter(x -> x.getName().equals(method)))
                        .as(m.group()).hasSize(1);
            }
            named++;
        }
        assertThat(named).as("methods named").isGreaterThanOrEqualTo(3);
    }

    private static String packagedDirectives() throws Exception {
        try (InputStream in = CompilerDirectives.class.getResourceAsStream(CompilerDirectives.RESOURCE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
