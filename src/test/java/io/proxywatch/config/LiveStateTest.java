package io.proxywatch.config;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class LiveStateTest {

    @Test
    void anObjectIsKeptWhileTheSettingsItWasMadeFromStayTheSame() {
        LiveState live = new LiveState();
        AtomicInteger made = new AtomicInteger();
        Object first = live.keep("stats", 300, () -> "window-" + made.incrementAndGet());
        assertThat(live.keep("stats", 300, () -> "window-" + made.incrementAndGet())).isSameAs(first);
        assertThat(made).hasValue(1);

        Object wider = live.keep("stats", 600, () -> "window-" + made.incrementAndGet());
        assertThat(wider).isEqualTo("window-2");
        assertThat(live.keep("stats", 600, () -> "window-" + made.incrementAndGet())).isSameAs(wider);
    }

    @Test
    void namesAreKeptApart() {
        LiveState live = new LiveState();
        assertThat(live.keep("a", null, () -> "A")).isEqualTo("A");
        assertThat(live.keep("b", null, () -> "B")).isEqualTo("B");
        assertThat(live.keep("a", null, () -> "other")).isEqualTo("A");
    }
}
