package io.proxywatch.alert;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The delay before an alert channel's next attempt: the channel's named wait, else the back-off's own. */
class ChannelRetryAfterTest {
    private final ChannelRetryAfter retry = new ChannelRetryAfter(2000, 60_000, 600_000, null);
    private final Exchange exchange = new DefaultExchange(new DefaultCamelContext());

    private long after(Throwable failure) {
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, failure);
        retry.process(exchange);
        return exchange.getIn().getHeader(Exchange.REDELIVERY_DELAY, Long.class);
    }

    private static ChannelRetryableException named(Duration wait) {
        return new ChannelRetryableException("wecom", new ChannelAnswer(ChannelAnswer.Outcome.RETRY, 45009,
                "api freq out of limit", "rate limited", wait));
    }

    @Test
    void aNamedWaitReplacesOneDelayAndTheBackOffGoesOnAsItsOwn() {
        assertThat(after(new RuntimeException("502"))).isEqualTo(2000);
        assertThat(after(named(Duration.ofSeconds(60)))).as("the quota's minute").isEqualTo(60_000);
        assertThat(after(new RuntimeException("502"))).as("third failure: 2 s doubled twice").isEqualTo(8000);
        assertThat(after(new RuntimeException("502"))).isEqualTo(16_000);
    }

    @Test
    void theBackOffAndTheNamedWaitAreCapped() {
        assertThat(retry.backOff(10)).isEqualTo(60_000);
        assertThat(after(named(Duration.ofHours(2)))).isEqualTo(600_000);
    }
}
