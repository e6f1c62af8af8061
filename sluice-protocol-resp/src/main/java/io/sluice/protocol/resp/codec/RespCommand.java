package io.sluice.protocol.resp.codec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One client command as decoded from the wire: the argument vector {@code argv}, where {@code argv[0]} is the command
 * name, exactly as redis-server builds it from either a RESP array of bulk strings or an inline line.
 *
 * <p>Arguments are binary-safe byte arrays: keys, field names and values may hold any bytes. Immutable once built;
 * the decoder hands each instance to exactly one consumer, so the arrays are not copied on access.
 */
public final class RespCommand {

    private final byte[][] argv;
    /** {@link #name()}, computed once: the session asks for it several times per command. */
    private String name;
    /** {@link #key()}, computed once. */
    private String key;

    public RespCommand(List<byte[]> argv) {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("a command has at least a name");
        }
        this.argv = argv.toArray(new byte[0][]);
    }

    /** Builds a command from text arguments (UTF-8), for tests and internal callers. */
    public static RespCommand of(String... args) {
        List<byte[]> list = new ArrayList<>(args.length);
        for (String a : args) {
            list.add(a.getBytes(StandardCharsets.UTF_8));
        }
        return new RespCommand(list);
    }

    /** The command name in lower case, as redis-server looks commands up case-insensitively. */
    public String name() {
        String n = name;
        if (n == null) {
            n = new String(argv[0], StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
            name = n; // a racing second computation yields an equal string
        }
        return n;
    }

    /** Number of arguments including the command name. */
    public int argc() {
        return argv.length;
    }

    /** The raw bytes of argument {@code i} (0 is the name); not copied. */
    public byte[] arg(int i) {
        return argv[i];
    }

    /**
     * Argument 1 decoded as UTF-8, computed once: the key of most commands, which the session, the index check and
     * the command itself each ask for. Only for a command with at least two arguments.
     */
    public String key() {
        String k = key;
        if (k == null) {
            k = argString(1);
            key = k; // a racing second computation yields an equal string
        }
        return k;
    }

    /** Argument {@code i} decoded as UTF-8. */
    public String argString(int i) {
        return new String(argv[i], StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RespCommand other && Arrays.deepEquals(argv, other.argv);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(argv);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("RespCommand[");
        for (int i = 0; i < argv.length; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append('"').append(new String(argv[i], StandardCharsets.ISO_8859_1)).append('"');
        }
        return sb.append(']').toString();
    }
}
