package io.proxywatch.detect;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Works out, from a regex's source, a set of strings one of which every match must contain (or null when that
 * cannot be shown). It reads the common syntax (literals, escapes, classes, groups, alternation, quantifiers,
 * look-arounds, inline flags) and gives up, returning null, on anything else. Literals are lower-cased: the
 * text searched is lower case, so a match spells them in lower case.
 */
final class RequiredLiterals {
    private static final int MAX_SET = 512;
    private static final int MAX_LEN = 32;
    private static final int KEEP = 8;
    private static final Set<String> EPSILON = Set.of("");

    /**
     * What is known about a piece of a pattern. exact: every string the piece can match (finite, small), or null.
     * required: see class doc. prefix: strings one of which every match of the piece starts with ({@code {""}}
     * when nothing is known), so that literals can go on into a piece that is not a finite set of strings:
     * {@code id -} for {@code id -{1,2}[a-z]}.
     */
    private record Info(Set<String> exact, Set<String> required, Set<String> prefix) {
        Info(Set<String> exact, Set<String> required) {
            this(exact, required, exact != null ? exact : EPSILON);
        }

        Set<String> best() {
            if (exact != null && !exact.contains("")) {
                return better(exact, required);
            }
            return required;
        }
    }

    private final String re;
    private int pos;

    private RequiredLiterals(String re) {
        this.re = re;
    }

    static Set<String> of(String regex) {
        if (regex.contains("(?x") || regex.contains("(?-") || regex.contains("\\R")) {
            return null;
        }
        try {
            RequiredLiterals p = new RequiredLiterals(regex);
            Info info = p.alternation();
            if (p.pos != regex.length()) {
                return null;
            }
            Set<String> s = info.best();
            if (s == null || s.isEmpty() || s.contains("")) {
                return null;
            }
            // a prefix of a required literal is required too; short ones keep the automaton small
            Set<String> cut = new LinkedHashSet<>();
            for (String lit : s) {
                cut.add(lit.length() > KEEP ? lit.substring(0, KEEP) : lit);
            }
            return cut;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private Info alternation() {
        List<Info> branches = new ArrayList<>();
        branches.add(sequence());
        while (pos < re.length() && re.charAt(pos) == '|') {
            pos++;
            branches.add(sequence());
        }
        if (branches.size() == 1) {
            return branches.get(0);
        }
        Set<String> exact = new LinkedHashSet<>();
        Set<String> required = new LinkedHashSet<>();
        Set<String> prefix = new LinkedHashSet<>();
        for (Info b : branches) {
            if (exact != null) {
                exact = b.exact() == null ? null : union(exact, b.exact());
            }
            if (required != null) {
                Set<String> r = b.best();
                required = r == null ? null : union(required, r);
            }
            if (prefix != null) {
                prefix = union(prefix, b.prefix());
            }
        }
        return new Info(exact, required, prefix == null ? EPSILON : prefix);
    }

    private Info sequence() {
        List<Info> items = new ArrayList<>();
        while (pos < re.length() && re.charAt(pos) != '|' && re.charAt(pos) != ')') {
            items.add(quantified(atom()));
        }
        Set<String> exact = EPSILON;
        Set<String> best = null;
        Set<String> run = EPSILON;
        Set<String> prefix = EPSILON;
        boolean prefixGrows = true; // until the first piece that is not a finite set of strings
        for (Info it : items) {
            best = better(best, it.best());
            if (prefixGrows) {
                Set<String> p = cross(prefix, it.exact() != null ? it.exact() : it.prefix());
                prefix = p != null ? p : prefix;
                prefixGrows = p != null && it.exact() != null;
            }
            exact = exact == null || it.exact() == null ? null : cross(exact, it.exact());
            if (it.exact() == null) {
                // the run so far, then how the piece starts: still one string every match holds
                Set<String> into = cross(run, it.prefix());
                if (into != null && !into.contains("")) {
                    best = better(best, into);
                }
                run = EPSILON;
                continue;
            }
            Set<String> grown = cross(run, it.exact());
            run = grown != null ? grown : it.exact();
            if (!run.contains("")) {
                best = better(best, run);
            }
        }
        return new Info(exact, best, prefix);
    }

    private Info quantified(Info a) {
        if (pos >= re.length()) {
            return a;
        }
        char c = re.charAt(pos);
        int min;
        int max;
        if (c == '?') {
            min = 0;
            max = 1;
            pos++;
        } else if (c == '*') {
            min = 0;
            max = -1;
            pos++;
        } else if (c == '+') {
            min = 1;
            max = -1;
            pos++;
        } else if (c == '{' && pos + 1 < re.length() && Character.isDigit(re.charAt(pos + 1))) {
            int close = re.indexOf('}', pos);
            String[] mm = re.substring(pos + 1, close).split(",", -1);
            min = Integer.parseInt(mm[0].trim());
            max = mm.length == 1 ? min : mm[1].isBlank() ? -1 : Integer.parseInt(mm[1].trim());
            pos = close + 1;
        } else {
            return a;
        }
        if (pos < re.length() && (re.charAt(pos) == '?' || re.charAt(pos) == '+')) {
            pos++; // lazy or possessive: same strings
        }
        if (min == 0) {
            return new Info(max == 1 && a.exact() != null ? union(a.exact(), EPSILON) : null, null);
        }
        // x{3,5} holds x three times in a row: "..." for \.{3,}
        Set<String> repeated = a.exact() == null ? null : EPSILON;
        for (int i = 0; i < min && repeated != null; i++) {
            repeated = cross(repeated, a.exact());
        }
        Set<String> exact = min == max ? repeated : null;
        // at least once: a match starts as the piece does (x times min, when that is known)
        Set<String> prefix = exact != null ? exact : repeated != null ? repeated : a.prefix();
        return new Info(exact, better(repeated, a.best()), prefix);
    }

    private Info atom() {
        char c = re.charAt(pos);
        switch (c) {
            case '(' -> {
                return group();
            }
            case '[' -> {
                return new Info(charClass(), null);
            }
            case '\\' -> {
                return escape();
            }
            case '.' -> {
                pos++;
                return new Info(null, null);
            }
            case '^', '$' -> {
                pos++;
                return new Info(EPSILON, null);
            }
            default -> {
                pos++;
                return literal(c);
            }
        }
    }

    private Info group() {
        pos++; // (
        boolean zeroWidth = false;
        if (re.startsWith("?", pos)) {
            if (re.startsWith("?:", pos) || re.startsWith("?>", pos)) {
                pos += 2;
            } else if (re.startsWith("?=", pos) || re.startsWith("?!", pos)) {
                pos += 2;
                zeroWidth = true;
            } else if (re.startsWith("?<=", pos) || re.startsWith("?<!", pos)) {
                pos += 3;
                zeroWidth = true;
            } else if (re.startsWith("?<", pos)) {
                pos = re.indexOf('>', pos) + 1;
            } else {
                // inline flags: (?i) or (?i:...)
                int j = pos + 1;
                while (j < re.length() && Character.isLetter(re.charAt(j))) {
                    j++;
                }
                String flags = re.substring(pos + 1, j);
                if (!flags.matches("[imsuU]*")) {
                    throw new IllegalArgumentException("flags");
                }
                if (re.charAt(j) == ')') {
                    pos = j + 1;
                    return new Info(EPSILON, null);
                }
                if (re.charAt(j) != ':') {
                    throw new IllegalArgumentException("group");
                }
                pos = j + 1;
            }
        }
        Info inner = alternation();
        if (pos >= re.length() || re.charAt(pos) != ')') {
            throw new IllegalArgumentException("unclosed");
        }
        pos++;
        return zeroWidth ? new Info(EPSILON, null) : inner;
    }

    private Info escape() {
        char e = re.charAt(pos + 1);
        pos += 2;
        switch (e) {
            case 'b', 'B', 'A', 'z', 'Z', 'G' -> {
                return new Info(EPSILON, null);
            }
            case 'd' -> {
                return new Info(chars("0123456789"), null);
            }
            case 's' -> {
                return new Info(chars(" \t\n\u000b\f\r"), null);
            }
            case 't' -> {
                return literal('\t');
            }
            case 'n' -> {
                return literal('\n');
            }
            case 'r' -> {
                return literal('\r');
            }
            case 'f' -> {
                return literal('\f');
            }
            case 'x' -> {
                if (re.charAt(pos) == '{') {
                    throw new IllegalArgumentException("\\x{}");
                }
                pos += 2;
                return literal((char) Integer.parseInt(re.substring(pos - 2, pos), 16));
            }
            case 'u' -> {
                pos += 4;
                return literal((char) Integer.parseInt(re.substring(pos - 4, pos), 16));
            }
            case 'Q' -> {
                int end = re.indexOf("\\E", pos);
                String q = end < 0 ? re.substring(pos) : re.substring(pos, end);
                pos = end < 0 ? re.length() : end + 2;
                Set<String> s = EPSILON;
                for (char ch : q.toCharArray()) {
                    s = s == null ? null : cross(s, literal(ch).exact());
                }
                return new Info(s, null);
            }
            default -> {
                if (Character.isLetterOrDigit(e)) {
                    if (e == 'p' || e == 'P') {
                        if (re.charAt(pos) == '{') {
                            pos = re.indexOf('}', pos) + 1;
                        } else {
                            pos++;
                        }
                    } else if (e == 'k') {
                        pos = re.indexOf('>', pos) + 1;
                    } else if (e == 'c') {
                        pos++;
                    }
                    return new Info(null, null); // \w \S \p{..}, back-references, ...: unknown
                }
                return literal(e);
            }
        }
    }

    /** A small class like [;|&] as its characters; anything large, negated or non-ASCII is unknown. */
    private Set<String> charClass() {
        int start = pos;
        pos++; // [
        boolean negated = pos < re.length() && re.charAt(pos) == '^';
        StringBuilder members = new StringBuilder();
        boolean unknown = negated;
        int depth = 1;
        while (depth > 0) {
            char c = re.charAt(pos);
            if (c == '\\') {
                char e = re.charAt(pos + 1);
                pos += 2;
                if (e == 'd') {
                    members.append("0123456789");
                } else if (e == 's') {
                    members.append(" \t\n\u000b\f\r");
                } else if (e == 't') {
                    members.append('\t');
                } else if (e == 'n') {
                    members.append('\n');
                } else if (e == 'x' || e == 'u' || Character.isLetterOrDigit(e)) {
                    unknown = true;
                    if (e == 'p' || e == 'P') {
                        pos = re.charAt(pos) == '{' ? re.indexOf('}', pos) + 1 : pos + 1;
                    } else if (e == 'x') {
                        pos += 2;
                    } else if (e == 'u') {
                        pos += 4;
                    }
                } else {
                    members.append(e);
                }
            } else if (c == '[') {
                depth++;
                unknown = true;
                pos++;
            } else if (c == ']' && pos != start + 1 && !(negated && pos == start + 2)) { // a first ']' is a member
                depth--;
                pos++;
            } else if (c == '&' && re.startsWith("&&", pos)) {
                unknown = true;
                pos += 2;
            } else if (c == '-' && members.length() > 0 && pos + 1 < re.length() && re.charAt(pos + 1) != ']') {
                char lo = members.charAt(members.length() - 1);
                char hi = re.charAt(pos + 1);
                if (hi == '\\' || hi == '[' || hi - lo > 12) {
                    unknown = true;
                } else {
                    for (char x = (char) (lo + 1); x <= hi; x++) {
                        members.append(x);
                    }
                }
                pos += 2;
            } else {
                if (!(negated && pos == start + 1)) {
                    members.append(c);
                }
                pos++;
            }
        }
        if (unknown || members.length() > 12) {
            return null;
        }
        Set<String> s = new LinkedHashSet<>();
        for (char ch : members.toString().toCharArray()) {
            Set<String> one = literal(ch).exact();
            if (one == null) {
                return null;
            }
            s.addAll(one);
        }
        return s;
    }

    private static Info literal(char c) {
        if (c >= 128 && Character.toLowerCase(c) != c) {
            return new Info(null, null); // non-ASCII case mapping is not worth the doubt
        }
        return new Info(Set.of(String.valueOf(Character.toLowerCase(c))), null);
    }

    private static Set<String> chars(String cs) {
        Set<String> s = new LinkedHashSet<>();
        for (char c : cs.toCharArray()) {
            s.add(String.valueOf(c));
        }
        return s;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> s = new LinkedHashSet<>(a);
        s.addAll(b);
        return s.size() > MAX_SET ? null : s;
    }

    private static Set<String> cross(Set<String> a, Set<String> b) {
        if ((long) a.size() * b.size() > MAX_SET) {
            return null;
        }
        Set<String> s = new LinkedHashSet<>();
        for (String x : a) {
            for (String y : b) {
                if (x.length() + y.length() > MAX_LEN) {
                    return null;
                }
                s.add(x + y);
            }
        }
        return s;
    }

    /** The more selective of two literal sets: the one less likely to occur in ordinary text. */
    private static Set<String> better(Set<String> a, Set<String> b) {
        if (a == null || a.isEmpty() || a.contains("")) {
            return b;
        }
        if (b == null || b.isEmpty() || b.contains("")) {
            return a;
        }
        return cost(a) <= cost(b) ? a : b;
    }

    /** A literal costs a little on its own too: past a point, a longer list buys nothing. */
    private static final double PER_LITERAL = 1e-5;

    /**
     * Roughly how often one of the literals turns up at a given position of ordinary request text: letters
     * and digits are common, separators (space, slash, dot, ampersand, ...) very common, and characters like
     * {@code < ' | $} rare. Only the ranking matters.
     */
    private static double cost(Set<String> literals) {
        double sum = 0;
        for (String lit : literals) {
            double p = 1;
            for (int i = 0; i < lit.length(); i++) {
                p *= frequency(lit.charAt(i));
            }
            sum += p + PER_LITERAL;
        }
        return sum;
    }

    private static double frequency(char c) {
        if (Character.isLetter(c)) {
            return 0.08;
        }
        if (Character.isDigit(c)) {
            return 0.03;
        }
        return switch (c) {
            case ' ', '/', '.' -> 0.1;
            case '-', '_', '=', '&', ';', ':', ',', '?' -> 0.05;
            case '(', ')', '+' -> 0.02;
            default -> 0.003;
        };
    }
}
