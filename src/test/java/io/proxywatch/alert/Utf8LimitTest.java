package io.proxywatch.alert;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class Utf8LimitTest {
    private static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void countsLikeTheEncoder() {
        for (String s : new String[]{"", "abc", "é", "中文", "😀", "a😀中é", "x\uD800y"}) {
            String encodable = s.replace("\uD800", "\uFFFD");
            assertThat(Utf8Limit.bytes(s)).as(s).isEqualTo(utf8(encodable));
        }
    }

    @Test
    void shortTextIsUntouched() {
        assertThat(Utf8Limit.cut("短信", 6)).isEqualTo("短信");
    }

    @Test
    void chineseIsCutBetweenCharactersWithTheMarker() {
        String s = "攻击者发送了大量的恶意请求".repeat(20); // 3 bytes a character
        for (int max = 14; max < 120; max++) {
            String cut = Utf8Limit.cut(s, max);
            assertThat(utf8(cut)).as("max %d", max).isLessThanOrEqualTo(max);
            assertThat(cut).endsWith(Utf8Limit.MARKER);
            String kept = cut.substring(0, cut.length() - Utf8Limit.MARKER.length());
            assertThat(s).startsWith(kept);
            assertThat(max - utf8(cut)).as("wastes less than one character").isLessThan(3);
        }
    }

    @Test
    void emojiAreNeverSplit() {
        String s = "😀".repeat(50); // 4 bytes, two chars each
        for (int max = 14; max < 60; max++) {
            String cut = Utf8Limit.cut(s, max);
            String kept = cut.substring(0, cut.length() - Utf8Limit.MARKER.length());
            assertThat(kept.length() % 2).as("max %d", max).isZero();
            assertThat(Character.isHighSurrogate(kept.isEmpty() ? 'x' : kept.charAt(kept.length() - 1))).isFalse();
            assertThat(utf8(cut)).isLessThanOrEqualTo(max);
            assertThat(new String(cut.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)).isEqualTo(cut);
        }
    }

    @Test
    void aLimitBelowTheMarkerGivesAPlainPrefix() {
        assertThat(Utf8Limit.cut("abcdefghijklmnopqrstuvwxyz", 5)).isEqualTo("abcde");
        assertThat(Utf8Limit.cut("中文中文", 5)).isEqualTo("中");
        assertThat(Utf8Limit.prefix("😀", 3)).isEmpty();
    }

    @Test
    void exactFitIsNotCut() {
        String s = "a".repeat(100);
        assertThat(Utf8Limit.cut(s, 100)).isEqualTo(s);
        assertThat(Utf8Limit.cut(s, 99)).hasSize(99 - 14 + Utf8Limit.MARKER.length()).endsWith(Utf8Limit.MARKER);
    }
}
