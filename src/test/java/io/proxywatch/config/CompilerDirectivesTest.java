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
                .doesNotContain("io/proxywatch");
    }
}
