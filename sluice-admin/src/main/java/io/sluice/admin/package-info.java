/**
 * Operating a node over HTTP: Prometheus metrics ({@code /metrics}), health and alerts ({@code /health},
 * {@code /alerts}), the admin JSON API ({@code /api/v1}, described in docs/openapi.yaml) and the web console
 * ({@code /console/}), all on one port ({@code http.port}) served by {@link io.sluice.admin.AdminServer}.
 *
 * <p>This module reads and changes the broker only through the core API ({@link io.sluice.core.Broker}); it never
 * depends on a protocol module or on the server, which wires it in.
 *
 * <p>HTTP server: Javalin (on Jetty 12) rather than Helidon SE. The admin surface is a few dozen small JSON
 * handlers plus static files; Javalin gives routing, path parameters, exception mapping and classpath static files
 * in one small dependency with no code generation or configuration files, and Jetty's thread pool can be capped at a
 * handful of threads, which matters on a broker whose cores belong to the protocol event loops. Helidon SE would
 * bring its own configuration system and a larger dependency graph for no feature this module needs.
 */
package io.sluice.admin;
