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
                // and none of the per-line code
                .doesNotContain("io/proxywatch/parse", "io/proxywatch/record", "io/proxywatch/stats",
                        "io/proxywatch/detect/*", "io/proxywatch/tail", "io/proxywatch/level", "java/");
    }
}
