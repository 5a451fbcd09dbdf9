package io.proxywatch.detect;

import io.proxywatch.detect.Normalizer.Mode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ShellViewTest {

    /** The request's spelling, as a query, and what the shell runs; {@code \n} in the second column is a line break. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = "=>", quoteCharacter = '"', value = {
            "127.0.0.1%0aid                   => 127.0.0.1\\nid",
            "1.1.1.1%0acat%20/etc/passwd      => 1.1.1.1\\ncat /etc/passwd",
            "127.0.0.1%0d%0aid                => 127.0.0.1\\nid",
            "127.0.0.1%20%0d%0a%09id          => 127.0.0.1\\nid",
            "127.0.0.1%0did                   => 127.0.0.1\\nid",
            ";w'h'o'am'i                      => ;whoami",
            "|c%22a%22t%20/etc/passwd         => |cat /etc/passwd",
            ";who%5Cami                       => ;whoami",
            ";wh$@oami                        => ;whoami",
            ";wh$*oami                        => ;whoami",
            ";c''at                           => ;cat",
            ";WH'O'AMI                        => ;whoami",
            ";who%5C%0aami                    => ;whoami",
            ";who%5C%0d%0aami                 => ;whoami"})
    void readsWhatTheShellRuns(String query, String shell) {
        String decoded = Normalizer.decode(query, Mode.QUERY);
        assertThat(ShellView.wouldChange(decoded)).isTrue();
        assertThat(ShellView.of(decoded)).isEqualTo(shell.replace("\\n", "\n"));
    }

    @Test
    void anEscapedCharacterIsKeptItself() {
        assertThat(ShellView.of("a\\'b")).isEqualTo("a'b");
        assertThat(ShellView.of("a\\\\b")).isEqualTo("a\\b");
        assertThat(ShellView.of("a\\$@b")).isEqualTo("a$@b");
        assertThat(ShellView.of("a\\")).isEqualTo("a");
    }

    /** SQL comments fold as in the canonical form, but the line break that ends one still ends a command. */
    @Test
    void commentsFoldAndTheirLineBreakStays() {
        assertThat(ShellView.of("x/**/'y'")).isEqualTo("x y");
        assertThat(ShellView.of("1 #note\nid")).isEqualTo("1\nid");
        assertThat(ShellView.of("1--x\nid")).isEqualTo("1\nid");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"hello%0aworld", "O%27Reilly+books", "it's", "c%27est+la+vie", "8%22x11%22+paper"})
    void proseStaysProse(String query) {
        String shell = ShellView.of(Normalizer.decode(query, Mode.QUERY));
        assertThat(shell).isIn("hello\nworld", "oreilly books", "its", "cest la vie", "8x11 paper");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/images/logo.png", "q=rock and roll&page=2", "$home", "a$b", "x/**/y", "tab\there",
            "100%"})
    void aValueWithoutItsCharactersIsNotReadAgain(String text) {
        assertThat(ShellView.wouldChange(text)).isFalse();
    }

    /**
     * What lets the detector skip the shell's reading of most values: without a line break, quote, backslash or
     * {@code $@}, the reading is the canonical form itself.
     */
    @Test
    void withoutItsCharactersTheReadingIsTheCanonicalForm() {
        String alphabet = "ab01 ;|&$@*#-/!<>()`=\t\u000b\f%+";
        Random random = new Random(11);
        int compared = 0;
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder();
            int len = random.nextInt(16);
            for (int k = 0; k < len; k++) {
                sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String raw = sb.toString();
            for (Mode mode : Mode.values()) {
                String decoded = Normalizer.decode(raw, mode);
                if (!ShellView.wouldChange(decoded)) {
                    assertThat(ShellView.of(decoded)).as(raw + " as " + mode)
                            .isEqualTo(Normalizer.normalize(raw, mode));
                    compared++;
                }
            }
        }
        assertThat(compared).isGreaterThan(10_000);
    }
}
