package io.proxywatch.detect;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

import static io.proxywatch.detect.RegexWindows.OVERLAP;
import static io.proxywatch.detect.RegexWindows.WINDOW;
import static org.assertj.core.api.Assertions.assertThat;

class RegexWindowsTest {
    private static final Pattern UNION = Pattern.compile("union select");

    private static String pad(int n) {
        return "x".repeat(n);
    }

    @Test
    void aMatchAcrossTheFirstWindowsEndIsFoundInTheNext() {
        String text = pad(WINDOW - 6) + "union select" + pad(5_000);
        assertThat(UNION.matcher(text.substring(0, WINDOW)).find()).isFalse(); // not whole in the first window
        assertThat(RegexWindows.find(UNION, text)).isTrue();
    }

    @Test
    void aMatchAsLongAsTheOverlapIsFoundWhereverItStarts() {
        Pattern run = Pattern.compile("a{" + OVERLAP + "}");
        for (int start = 0; start < 3 * WINDOW; start += 37) {
            String text = pad(start) + "a".repeat(OVERLAP) + pad(3 * WINDOW);
            assertThat(RegexWindows.find(run, text)).as("at %d", start).isTrue();
        }
    }

    @Test
    void anchorsMatchOnlyAtTheFieldsRealEnds() {
        Pattern end = Pattern.compile("\\.bak$");
        Pattern start = Pattern.compile("^/etc");
        String text = pad(WINDOW - 4) + ".bak" + pad(WINDOW) + "/etc" + pad(WINDOW);
        assertThat(RegexWindows.find(end, text)).isFalse(); // ".bak" ends the first window
        assertThat(RegexWindows.find(end, text + ".bak")).isTrue();
        assertThat(RegexWindows.find(start, text)).isFalse(); // "/etc" starts a later window
        assertThat(RegexWindows.find(start, "/etc" + text)).isTrue();
    }

    @Test
    void wordBoundariesSeeTheCharactersOutsideTheWindow() {
        Pattern word = Pattern.compile("\\bselect\\b");
        // "select" at the second window's start, glued to the 'x' before it: no word boundary there
        String text = pad(WINDOW - OVERLAP) + "select" + pad(3 * WINDOW);
        assertThat(RegexWindows.find(word, text)).isFalse();
        assertThat(RegexWindows.find(word, pad(WINDOW - OVERLAP - 1) + " select " + pad(3 * WINDOW))).isTrue();
    }

    @Test
    void shortTextsAreMatchedWhole() {
        assertThat(RegexWindows.find(Pattern.compile("^a.*b$"), "a" + pad(WINDOW - 2) + "b")).isTrue();
        assertThat(RegexWindows.find(UNION, "1 union select 2")).isTrue();
        assertThat(RegexWindows.find(UNION, "")).isFalse();
    }

    /**
     * A repeated group recurses once per iteration: over a megabyte of "select a " the pattern the default
     * select-grammar rule had overflows a thread's stack when matched whole, and not in windows.
     */
    @Test
    void aMegabyteFieldDoesNotOverflowTheStack() throws Exception {
        Pattern select = Pattern.compile("\\bselect (?:[\\w*,]+ )+from\\b");
        String text = "select a ".repeat(120_000);
        AtomicReference<Object> whole = new AtomicReference<>();
        AtomicReference<Object> windows = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try {
                whole.set(select.matcher(text).find());
            } catch (StackOverflowError e) {
                whole.set(e);
            }
            try {
                windows.set(RegexWindows.find(select, text));
            } catch (StackOverflowError e) {
                windows.set(e);
            }
        }, "regex-windows-test", 1 << 20);
        t.start();
        t.join();
        assertThat(whole.get()).isInstanceOf(StackOverflowError.class);
        assertThat(windows.get()).isEqualTo(false);
        assertThat(RegexWindows.find(select, text + "select id from users")).isTrue();
    }
}
