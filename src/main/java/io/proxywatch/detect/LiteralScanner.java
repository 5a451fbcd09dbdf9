package io.proxywatch.detect;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Aho-Corasick over the rules' required literals, as a complete transition table: one pass over a text gives the
 * set of rules whose literal occurs in it.
 *
 * <p>One scanner serves every field. The table is the cost that matters: at a few hundred KB it no longer stays in
 * the CPU caches once lines vary, and four per-field tables (mostly the same literals) made that four times worse.
 * The table is kept small in two more ways: characters that no literal uses share class 0, which leads back to the
 * start; and characters the automaton cannot tell apart (the same transition from every state, e.g. most digits)
 * share one column.
 *
 * <p>Immutable and thread-safe.
 */
final class LiteralScanner {
    private static final char HAS_HITS = 0x8000; // set on transitions into a state that reports rules
    private static final int STATE_MASK = 0x7fff;

    private final int words;
    private final int[] asciiClass = new int[128];
    private final char[] otherChars;    // the few non-ASCII literal characters, sorted
    private final int[] otherClasses;   // their classes
    private final int classes;          // row width
    private final char[] next;          // (state * classes + class) -> state, with HAS_HITS; null: too many states
    private final long[][] hits;        // per state: rules whose literal ends here (with its suffixes), or null
    private final long[] none;          // what scan returns for a text without literals
    private final long[] all;           // ... and for any text when there are no literals at all

    /**
     * @param literals each literal (lower case) with the rules, as bits over {@code words} longs, that require it
     */
    LiteralScanner(Map<String, long[]> literals, int words) {
        this.words = words;
        this.none = new long[words];
        this.all = new long[words];
        Arrays.fill(all, -1L);
        // raw classes: one per distinct literal character; upper-case ASCII shares its lower case's class
        int[] rawAscii = new int[128];
        TreeSet<Character> nonAscii = new TreeSet<>();
        int raw = 1;
        for (String lit : literals.keySet()) {
            for (int i = 0; i < lit.length(); i++) {
                char ch = lit.charAt(i);
                if (ch >= 128) {
                    nonAscii.add(ch);
                } else if (rawAscii[ch] == 0) {
                    rawAscii[ch] = raw++;
                }
            }
        }
        Map<Character, Integer> rawOther = new HashMap<>();
        for (char ch : nonAscii) {
            rawOther.put(ch, raw++);
        }
        for (char up = 'A'; up <= 'Z'; up++) {
            rawAscii[up] = rawAscii[Character.toLowerCase(up)]; // literals are lower case; so is matching
        }
        int rawClasses = raw;

        // trie
        List<int[]> trie = new ArrayList<>();
        List<long[]> out = new ArrayList<>();
        trie.add(new int[rawClasses]);
        out.add(null);
        for (Map.Entry<String, long[]> e : literals.entrySet()) {
            int s = 0;
            for (int i = 0; i < e.getKey().length(); i++) {
                char ch = e.getKey().charAt(i);
                int k = ch < 128 ? rawAscii[ch] : rawOther.get(ch);
                if (trie.get(s)[k] == 0) {
                    trie.get(s)[k] = trie.size();
                    trie.add(new int[rawClasses]);
                    out.add(null);
                }
                s = trie.get(s)[k];
            }
            out.set(s, or(out.get(s), e.getValue()));
        }
        int n = trie.size();
        if (n > STATE_MASK) {
            // more literals than the table can address: no pre-check, every rule runs
            next = null;
            hits = null;
            classes = 0;
            otherChars = new char[0];
            otherClasses = new int[0];
            return;
        }

        // failure links, turned into a complete transition table breadth first (column 0 stays 0: back to start)
        int[][] delta = new int[n][rawClasses];
        int[] fail = new int[n];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int k = 1; k < rawClasses; k++) {
            int t = trie.get(0)[k];
            delta[0][k] = t;
            if (t != 0) {
                queue.add(t);
            }
        }
        while (!queue.isEmpty()) {
            int s = queue.poll();
            out.set(s, or(out.get(s), out.get(fail[s])));
            for (int k = 1; k < rawClasses; k++) {
                int t = trie.get(s)[k];
                if (t != 0) {
                    fail[t] = delta[fail[s]][k];
                    delta[s][k] = t;
                    queue.add(t);
                } else {
                    delta[s][k] = delta[fail[s]][k];
                }
            }
        }

        // merge the raw classes whose columns are identical: the automaton cannot tell those characters apart
        int[] merged = new int[rawClasses];
        Map<List<Integer>, Integer> columns = new HashMap<>();
        columns.put(column(delta, 0), 0);
        for (int k = 1; k < rawClasses; k++) {
            Integer c = columns.putIfAbsent(column(delta, k), columns.size());
            merged[k] = c == null ? columns.size() - 1 : c;
        }
        classes = columns.size();
        for (int ch = 0; ch < 128; ch++) {
            asciiClass[ch] = merged[rawAscii[ch]];
        }
        otherChars = new char[nonAscii.size()];
        otherClasses = new int[nonAscii.size()];
        int o = 0;
        for (char ch : nonAscii) {
            otherChars[o] = ch;
            otherClasses[o++] = merged[rawOther.get(ch)];
        }

        hits = out.toArray(new long[0][]);
        next = new char[n * classes];
        for (int s = 0; s < n; s++) {
            for (int k = 0; k < rawClasses; k++) {
                int t = delta[s][k];
                next[s * classes + merged[k]] = (char) (hits[t] != null ? t | HAS_HITS : t);
            }
        }
    }

    private static List<Integer> column(int[][] delta, int k) {
        List<Integer> col = new ArrayList<>(delta.length);
        for (int[] row : delta) {
            col.add(row[k]);
        }
        return col;
    }

    private static long[] or(long[] a, long[] b) {
        if (b == null) {
            return a;
        }
        if (a == null) {
            return b.clone();
        }
        long[] r = a.clone();
        for (int i = 0; i < r.length; i++) {
            r[i] |= b[i];
        }
        return r;
    }

    private int classOf(char ch) {
        if (ch < 128) {
            return asciiClass[ch];
        }
        int i = Arrays.binarySearch(otherChars, ch);
        return i < 0 ? 0 : otherClasses[i];
    }

    /**
     * The rules whose literal occurs in {@code text}, as {@code words} longs; every rule when there is no table.
     * Read only: a text without any literal gets one shared array of zeros, and every text one shared array of ones
     * when there is no table, not an allocation.
     */
    long[] scan(String text) {
        if (next == null) {
            return all;
        }
        long[] found = none;
        int s = 0;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            int t = next[s * classes + classOf(text.charAt(i))];
            s = t & STATE_MASK;
            if (t >= HAS_HITS) {
                if (found == none) {
                    found = new long[words];
                }
                long[] h = hits[s];
                for (int w = 0; w < words; w++) {
                    found[w] |= h[w];
                }
            }
        }
        return found;
    }
}
