package io.proxywatch.fleet;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RedisEndpointTest {
    @Test
    void readsHostPortDatabaseUserAndTls() {
        assertThat(RedisEndpoint.parse("redis://cache.internal:6380/2"))
                .isEqualTo(new RedisEndpoint("cache.internal", 6380, 2, null, false));
        assertThat(RedisEndpoint.parse("rediss://watcher@cache.internal"))
                .isEqualTo(new RedisEndpoint("cache.internal", 6379, 0, "watcher", true));
        assertThat(RedisEndpoint.parse("rediss://watcher@cache.internal").describe())
                .isEqualTo("rediss://watcher@cache.internal:6379/0");
    }

    @Test
    void aPasswordInTheUrlIsRefusedWithoutRepeatingIt() {
        assertThatThrownBy(() -> RedisEndpoint.parse("redis://watcher:s3cret-pw@cache:6379/0"))
                .hasMessageContaining("PROXYWATCH_FLEET_REDIS_PASSWORD")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret-pw"));
    }

    @Test
    void otherSchemesAndPathsAreRefused() {
        assertThatThrownBy(() -> RedisEndpoint.parse("http://cache:6379")).hasMessageContaining("redis://");
        assertThatThrownBy(() -> RedisEndpoint.parse("redis://cache:6379/zero")).hasMessageContaining("database");
        assertThatThrownBy(() -> RedisEndpoint.parse("redis:///0")).hasMessageContaining("host");
    }
}
