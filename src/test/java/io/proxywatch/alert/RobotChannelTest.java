package io.proxywatch.alert;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** When a robot's digest goes: gathered long enough, and room in the quota; else it stays open and merges. */
class RobotChannelTest {
    private final RobotChannel wecom = new RobotChannel("wecom", true, 3, n -> "", null, null);

    @Test
    void aDigestGoesOnceItGatheredItsWaitAndTheQuotaHasRoom() {
        assertThat(wecom.digestDueAt(0, 1000, 999)).as("still gathering").isFalse();
        assertThat(wecom.digestDueAt(0, 1000, 1000)).isTrue();
    }

    @Test
    void whileTheQuotaIsSpentTheDigestStaysOpenUntilAMinuteAfterTheOldestSend() {
        wecom.takenAt(10_000);
        wecom.takenAt(11_000);
        wecom.takenAt(12_000);
        assertThat(wecom.digestDueAt(12_000, 1000, 20_000)).as("three sent in the last minute").isFalse();
        assertThat(wecom.digestDueAt(12_000, 1000, 69_999)).isFalse();
        assertThat(wecom.digestDueAt(12_000, 1000, 70_000)).as("the oldest left the minute").isTrue();
        wecom.takenAt(70_000);
        assertThat(wecom.digestDueAt(69_000, 1000, 70_500)).as("11 s and 12 s still in the minute").isFalse();
    }
}
