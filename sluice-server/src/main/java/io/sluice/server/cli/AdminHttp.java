package io.sluice.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Options and calls shared by the {@code sluice admin} commands: where the node's HTTP endpoint is, the credential,
 * and output as a table or as the API's JSON ({@code --json}). A picocli mixin.
 */
final class AdminHttp {
    static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--url", defaultValue = "${env:SLUICE_ADMIN_URL:-http://localhost:8080}",
            description = "Base URL of the node's HTTP endpoint (env SLUICE_ADMIN_URL; default ${DEFAULT-VALUE}).")
    String url;
    @Option(names = "--token", defaultValue = "${env:SLUICE_ADMIN_TOKEN}",
            description = "Bearer token (admin.token; env SLUICE_ADMIN_TOKEN).")
    String token;
    @Option(names = "--user", defaultValue = "${env:SLUICE_ADMIN_USER}", description = "HTTP Basic user.")
    String user;
    @Option(names = "--password", defaultValue = "${env:SLUICE_ADMIN_PASSWORD}", description = "HTTP Basic password.")
    String password;
    @Option(names = "--namespace", description = "Namespace (AMQP virtual host) the names live in.")
    String namespace;
    @Option(names = "--json", description = "Print the API's JSON instead of a table.")
    boolean json;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Calls the API; returns the parsed body, or throws with the API's error text on a 4xx/5xx answer. */
    JsonNode call(String method, String path, Object body) throws IOException, InterruptedException {
        String full = url.replaceAll("/+$", "") + path;
        if (namespace != null && !namespace.isBlank()) {
            full += (path.contains("?") ? "&" : "?") + "namespace=" + enc(namespace);
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(full)).timeout(Duration.ofSeconds(30));
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        b.header("Content-Type", "application/json");
        if (token != null && !token.isBlank()) {
            b.header("Authorization", "Bearer " + token);
        } else if (user != null && !user.isBlank()) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (user + ":" + (password == null ? "" : password)).getBytes(StandardCharsets.UTF_8)));
        }
        HttpResponse<String> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (ConnectException e) {
            throw new IllegalStateException("no Sluice HTTP endpoint at " + url + " (is the node running with "
                    + "http.port set? use --url)");
        }
        JsonNode parsed = r.body() == null || r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
        if (r.statusCode() >= 400 && r.statusCode() != 503) {
            String err = parsed.path("error").asText("HTTP " + r.statusCode());
            throw new IllegalStateException(err + " (HTTP " + r.statusCode() + ")");
        }
        return parsed;
    }

    /** Prints {@code node} as JSON, or its rows as a table with the given columns (field names). */
    void print(PrintWriter out, JsonNode node, String... columns) throws IOException {
        if (json) {
            out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
            out.flush();
            return;
        }
        List<JsonNode> rows = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(rows::add);
        } else {
            rows.add(node);
        }
        out.print(table(rows, columns));
        out.flush();
    }

    /** A plain-text table: a header row in upper case, columns padded to their widest cell. */
    static String table(List<JsonNode> rows, String... columns) {
        int[] width = new int[columns.length];
        List<String[]> cells = new ArrayList<>();
        String[] header = new String[columns.length];
        for (int i = 0; i < columns.length; i++) {
            header[i] = columns[i].replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(java.util.Locale.ROOT);
            width[i] = header[i].length();
        }
        for (JsonNode r : rows) {
            String[] c = new String[columns.length];
            for (int i = 0; i < columns.length; i++) {
                JsonNode v = r.get(columns[i]);
                c[i] = v == null || v.isNull() ? "" : v.isValueNode() ? v.asText() : v.toString();
                width[i] = Math.max(width[i], c[i].length());
            }
            cells.add(c);
        }
        StringBuilder sb = new StringBuilder();
        appendRow(sb, header, width);
        cells.forEach(c -> appendRow(sb, c, width));
        return sb.toString();
    }

    private static void appendRow(StringBuilder sb, String[] c, int[] width) {
        for (int i = 0; i < c.length; i++) {
            sb.append(c[i]);
            if (i < c.length - 1) {
                sb.append(" ".repeat(width[i] - c[i].length() + 2));
            }
        }
        sb.append('\n');
    }
}
