package io.proxywatch.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CompilerDirectivesTest {
    @Test
    void thePackagedDirectivesAreTakenByTheJvm() throws Exception {
        assertThat(CompilerDirectives.add()).isTrue();
        // as jcmd Compiler.directives_print shows them: every per-exchange library kept from C2
        assertThat(CompilerDirectives.inForce())
                .contains("org/apache/camel/*.*", "io/netty/*.*", "org/snakeyaml/*.*", "Exclude:true")
                // and the JDK's class loading, reflection and header-map code that start-up and Camel make hot
                .contains("jdk/internal/jimage/*.*", "java/util/zip/Zip*.*", "java/lang/reflect/*.*",
                        "java/util/TreeMap*.*")
                // and none of the per-line code, ours or the JDK's
                .doesNotContain("io/proxywatch/parse", "io/proxywatch/record", "io/proxywatch/stats",
                        "io/proxywatch/detect/*", "io/proxywatch/detect/LiteralScanner.scan", "io/proxywatch/tail",
                        "io/proxywatch/level", "java/lang/String.", "java/lang/StringLatin1.*", "java/util/HashMap",
                        "java/util/ArrayList", "java/util/regex", "java/util/*", "java/lang/*");
    }
}
