package io.sluice.protocol.resp.session;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A blocking RESP client for tests that need exact bytes: sends raw bytes or commands, reads one reply as plain Java
 * values (simple string → String, error → {@link Err}, integer → Long, bulk → String (UTF-8), null → null, array/set/
 * push → List, map → LinkedHashMap, double → Double, boolean → Boolean, verbatim → its text).
 */
final class RawRespClient implements AutoCloseable {

    record Err(String text) {
    }

    /** A RESP3 push frame, kept apart from arrays so tests can tell them from replies. */
    record Push(List<Object> items) {
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawRespClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    RawRespClient sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    RawRespClient sendRaw(String text) throws IOException {
        return sendRaw(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    RawRespClient send(String... args) throws IOException {
        StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            byte[] b = a.getBytes(StandardCharsets.UTF_8);
            sb.append('$').append(b.length).append("\r\n").append(new String(b, StandardCharsets.ISO_8859_1))
                    .append("\r\n");
        }
        return sendRaw(sb.toString());
    }

    Object call(String... args) throws IOException {
        send(args);
        return read();
    }

    /** Reads one reply, or throws EOFException when the server closed the connection. */
    Object read() throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new EOFException("connection closed");
        }
        String line = line();
        return switch (type) {
            case '+' -> line;
            case '-' -> new Err(line);
            case ':' -> Long.parseLong(line);
            case '$', '=' -> {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    yield null;
                }
                byte[] b = in.readNBytes(n);
                in.readNBytes(2);
                String s = new String(b, StandardCharsets.UTF_8);
                yield type == '=' ? s.substring(4) : s;
            }
            case '_' -> null;
            case ',' -> Double.parseDouble(line.replace("inf", "Infinity"));
            case '#' -> line.equals("t");
            case '*', '~', '>' -> {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    yield null;
                }
                List<Object> items = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    items.add(read());
                }
                yield type == '>' ? new Push(items) : items;
            }
            case '%' -> {
                int n = Integer.parseInt(line);
                Map<Object, Object> m = new LinkedHashMap<>();
                for (int i = 0; i < n; i++) {
                    m.put(read(), read());
                }
                yield m;
            }
            default -> throw new IOException("unexpected reply type " + (char) type + line);
        };
    }

    /** True once the server has closed the connection (reads EOF within the socket timeout). */
    boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (java.net.SocketException e) {
            return true;
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) {
                throw new EOFException("connection closed mid-line");
            }
            b.write(c);
        }
        in.read();
        return b.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
