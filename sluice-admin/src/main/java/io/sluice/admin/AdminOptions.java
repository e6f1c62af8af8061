package io.sluice.admin;

import java.time.Duration;

/**
 * How the admin HTTP server runs: where it listens, who may call it, how often per-entity figures are refreshed and
 * which thresholds raise alerts.
 *
 * @param bindHost      address to listen on
 * @param port          TCP port; 0 picks a free port (tests), read back with {@link AdminServer#port()}
 * @param token         bearer token accepted in {@code Authorization: Bearer ...}; null or blank = none
 * @param user          HTTP Basic user name; null or blank = Basic disabled
 * @param password      HTTP Basic password
 * @param loopbackOpen  whether requests from a loopback address need no credential
 * @param refresh       how often per-entity gauges and alerts are recomputed
 * @param thresholds    alert thresholds
 */
public record AdminOptions(String bindHost, int port, String token, String user, String password,
                           boolean loopbackOpen, Duration refresh, AlertThresholds thresholds) {

    /** Loopback, a free port, no credential, loopback open, a 2-second refresh, default thresholds. */
    public static AdminOptions local() {
        return new AdminOptions("127.0.0.1", 0, null, null, null, true, Duration.ofSeconds(2),
                AlertThresholds.defaults());
    }

    public AdminOptions withPort(int p) {
        return new AdminOptions(bindHost, p, token, user, password, loopbackOpen, refresh, thresholds);
    }

    public AdminOptions withAuth(String tok, String u, String pw, boolean open) {
        return new AdminOptions(bindHost, port, tok, u, pw, open, refresh, thresholds);
    }

    public AdminOptions withThresholds(AlertThresholds t) {
        return new AdminOptions(bindHost, port, token, user, password, loopbackOpen, refresh, t);
    }

    public AdminOptions withRefresh(Duration d) {
        return new AdminOptions(bindHost, port, token, user, password, loopbackOpen, d, thresholds);
    }

    boolean hasCredential() {
        return (token != null && !token.isBlank()) || (user != null && !user.isBlank());
    }
}
