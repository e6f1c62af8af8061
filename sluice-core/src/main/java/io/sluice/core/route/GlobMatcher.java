package io.sluice.core.route;

/**
 * Redis-style glob matching for PSUBSCRIBE patterns: {@code *} any run, {@code ?} one character, {@code [abc]},
 * {@code [^a]} / {@code [!a]}, {@code [a-z]} classes, backslash escapes.
 */
public final class GlobMatcher {
    private GlobMatcher() {
    }

    public static boolean matches(String pattern, String s) {
        return match(pattern, 0, s, 0);
    }

    private static boolean match(String p, int pi, String s, int si) {
        while (pi < p.length()) {
            char c = p.charAt(pi);
            switch (c) {
                case '*' -> {
                    while (pi + 1 < p.length() && p.charAt(pi + 1) == '*') {
                        pi++;
                    }
                    if (pi + 1 == p.length()) {
                        return true;
                    }
                    for (int k = si; k <= s.length(); k++) {
                        if (match(p, pi + 1, s, k)) {
                            return true;
                        }
                    }
                    return false;
                }
                case '?' -> {
                    if (si >= s.length()) {
                        return false;
                    }
                    pi++;
                    si++;
                }
                case '[' -> {
                    if (si >= s.length()) {
                        return false;
                    }
                    int end = pi + 1;
                    boolean negate = end < p.length() && (p.charAt(end) == '^' || p.charAt(end) == '!');
                    if (negate) {
                        end++;
                    }
                    boolean found = false;
                    char ch = s.charAt(si);
                    while (end < p.length() && p.charAt(end) != ']') {
                        if (p.charAt(end) == '\\' && end + 1 < p.length()) {
                            end++;
                            found |= p.charAt(end) == ch;
                        } else if (end + 2 < p.length() && p.charAt(end + 1) == '-' && p.charAt(end + 2) != ']') {
                            char lo = p.charAt(end);
                            char hi = p.charAt(end + 2);
                            if (lo > hi) {
                                char t = lo;
                                lo = hi;
                                hi = t;
                            }
                            found |= ch >= lo && ch <= hi;
                            end += 2;
                        } else {
                            found |= p.charAt(end) == ch;
                        }
                        end++;
                    }
                    if (found == negate) {
                        return false;
                    }
                    pi = end < p.length() ? end + 1 : end;
                    si++;
                }
                case '\\' -> {
                    if (pi + 1 < p.length()) {
                        pi++;
                    }
                    if (si >= s.length() || p.charAt(pi) != s.charAt(si)) {
                        return false;
                    }
                    pi++;
                    si++;
                }
                default -> {
                    if (si >= s.length() || c != s.charAt(si)) {
                        return false;
                    }
                    pi++;
                    si++;
                }
            }
        }
        return si == s.length();
    }
}
