package io.sluice.protocol.resp.codec;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits an inline request line into arguments with the rules of redis-server's {@code sdssplitargs}, so that a
 * line typed into telnet yields the same argv as on Redis. Stateless; see {@link RespCommandDecoder} for the rules.
 */
final class RespInlineSplitter {

    private RespInlineSplitter() {
    }

    /** Returns the arguments (possibly none), or {@code null} when quotes are unbalanced. */
    static List<byte[]> split(byte[] line) {
        int n = line.length;
        for (int k = 0; k < n; k++) {
            if (line[k] == 0) { // C-string semantics: a NUL ends the line
                n = k;
                break;
            }
        }
        List<byte[]> result = new ArrayList<>();
        int p = 0;
        while (true) {
            while (p < n && isSpace(line[p])) {
                p++;
            }
            if (p >= n) {
                return result;
            }
            ByteArrayOutputStream current = new ByteArrayOutputStream();
            boolean inDouble = false;
            boolean inSingle = false;
            boolean done = false;
            while (!done) {
                int c = p < n ? line[p] & 0xff : -1;
                int next = p + 1 < n ? line[p + 1] & 0xff : -1;
                if (inDouble) {
                    if (c == '\\' && next == 'x' && p + 3 < n && hex(line[p + 2]) >= 0 && hex(line[p + 3]) >= 0) {
                        current.write(hex(line[p + 2]) * 16 + hex(line[p + 3]));
                        p += 3;
                    } else if (c == '\\' && next >= 0) {
                        p++;
                        current.write(switch (next) {
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            case 't' -> '\t';
                            case 'b' -> '\b';
                            case 'a' -> 7;
                            default -> next;
                        });
                    } else if (c == '"') {
                        if (next >= 0 && !isSpace((byte) next)) {
                            return null;
                        }
                        done = true;
                    } else if (c < 0) {
                        return null;
                    } else {
                        current.write(c);
                    }
                } else if (inSingle) {
                    if (c == '\\' && next == '\'') {
                        p++;
                        current.write('\'');
                    } else if (c == '\'') {
                        if (next >= 0 && !isSpace((byte) next)) {
                            return null;
                        }
                        done = true;
                    } else if (c < 0) {
                        return null;
                    } else {
                        current.write(c);
                    }
                } else {
                    switch (c) {
                        case ' ', '\n', '\r', '\t', -1 -> done = true;
                        case '"' -> inDouble = true;
                        case '\'' -> inSingle = true;
                        default -> current.write(c);
                    }
                }
                if (p < n) {
                    p++;
                }
            }
            result.add(current.toByteArray());
        }
    }

    /** C's {@code isspace} in the "C" locale. */
    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == 0x0b || b == '\f' || b == '\r';
    }

    private static int hex(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }
}
