package io.proxywatch.alert;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class SilenceTest {

    @Test
    void globsMatchTheWholeText() {
        assertThat(Silence.glob("sqli-*", "sqli-union-select")).isTrue();
        assertThat(Silence.glob("sqli-*", "xss-script")).isFalse();
        assertThat(Silence.glob("10.0.0.?", "10.0.0.7")).isTrue();
        assertThat(Silence.glob("10.0.0.?", "10.0.0.77")).isFalse();
        assertThat(Silence.glob("*", "")).isTrue();
        assertThat(Silence.glob("", "")).isTrue();
        assertThat(Silence.glob("", "a")).isFalse();
        assertThat(Silence.glob("a*b*c", "aXbYbZc")).isTrue();
        assertThat(Silence.glob("a*b*c", "aXbYbZ")).isFalse();
        assertThat(Silence.glob("*.example/*", "203.0.113.9 www.example/login")).isTrue();
        assertThat(Silence.glob("a.c", "abc")).as("a dot is a dot, not any character").isFalse();
    }

    /** The matcher says what the glob's regex (* as .*, ? as ., the rest quoted) said, over many random pairs. */
    @Test
    void agreesWithTheGlobAsARegex() {
        SplittableRandom random = new SplittableRandom(11);
        for (int n = 0; n < 50_000; n++) {
            String pattern = random(random, "ab*?.", random.nextInt(7));
            String text = random(random, "ab.", random.nextInt(9));
            assertThat(Silence.glob(pattern, text)).as("%s against %s", pattern, text)
                    .isEqualTo(asRegex(pattern).matcher(text).matches());
        }
    }

    /**
     * A pattern of many stars against a long key that almost matches: the regex took time exponential in the
     * stars; this is at most pattern × text steps. The timeout only keeps a regression from hanging the build.
     */
    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void manyStarsAgainstALongKeyAreDecidedAtOnce() {
        String pattern = "*a".repeat(40) + "*b";
        assertThat(Silence.glob(pattern, "a".repeat(256))).isFalse();
        assertThat(Silence.glob(pattern, "a".repeat(256) + "b")).isTrue();
    }

    private static String random(SplittableRandom random, String alphabet, int length) {
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    private static Pattern asRegex(String glob) {
        StringBuilder re = new StringBuilder();
        for (char c : glob.toCharArray()) {
            re.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(re.toString());
    }
}
